# Varnish in front of alsblog's app servers: pages everyone shares are kept until a change
# purges their surrogate keys (docs/operators.md, "Front cache and CDN").
#
#   varnishd -f deploy/varnish/alsblog.vcl -p vcl_path=deploy/varnish -a :80 -s malloc,256m
#
# backends.vcl, beside this file, names the app servers; edit it, not this file. Needs
# Debian's varnish (7.x) and varnish-modules (for xkey).
vcl 4.1;

import directors;
import std;
import xkey;

include "backends.vcl";

# Who may purge: the app servers' worker (loopback here; add your servers' addresses).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = app.backend();

    # A change on the site purges the pages that show it: `xkey-purge: article-12 lists`.
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Say which keys to purge in xkey-purge"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }

    # Forms, staff and everything but reading go to the site as they are.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # A visitor the site knows something of (a login, a waiting comment, a remembered name,
    # a message to show) gets pages of their own.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages|comments_visit|commenter)=") {
        return (pass);
    }
    # Any other cookie (a CSRF cookie from a staff page, a browser's own) changes nothing a
    # shared page shows.
    unset req.http.Cookie;

    # While the app servers answer, a page past its time is served for a minute as a new
    # copy is fetched (stale-while-revalidate); while none answers, the copy that is kept.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Kept as long as the site's stale-if-error allows, for when no app server answers.
    set beresp.grace = 24h;
    # A failed refresh never replaces a good copy.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Only what the site says a shared cache may keep is kept. A page it says nothing of (a
    # page not found, search results) would otherwise be kept Varnish's default 2 minutes,
    # where a purge does not reach it: an article that goes public (scheduled, or published
    # again) would answer 404, and one withdrawn would still be found, after the purge.
    if (!beresp.http.Cache-Control && !beresp.http.Expires) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Everything else as Varnish's own rules say: Set-Cookie, private or no-cache are not
    # kept; s-maxage is how long the rest is.
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Front-Cache = "hit";
    } else {
        set resp.http.X-Front-Cache = "miss";
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
