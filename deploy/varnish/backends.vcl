# The app servers Varnish sends readers to, taking turns; each is asked for /health/ every
# few seconds and left out while it does not answer 200. `make fleet` runs these two.
probe health {
    # Its Host must be one of the site's ALLOWED_HOSTS.
    .request = "GET /health/live/ HTTP/1.1"
        "Host: localhost"
        "Connection: close";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = health;
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = health;
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    app.add_backend(app2);
}
