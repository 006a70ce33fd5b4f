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
    if (req.restarts == 0) {
        unset req.http.alsblog-shared;
        unset req.http.alsblog-stale;
        # When the request arrived: a comment post that waited too long for an app server's
        # thread is answered "busy" at once (comments/posting.py). A client's own is replaced.
        set req.http.X-Request-Start = "t=" + std.time2real(now, 0.0);
    }

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
    # copy is fetched (stale-while-revalidate). While none answers, or the one asked could
    # not make the page (its database away: see vcl_synth), the copy that is kept, up to
    # the site's stale-if-error day. Changes purge copies outright, so no kept copy shows
    # what a change took away.
    set req.http.alsblog-shared = "1";
    if (req.http.alsblog-stale) {
        set req.grace = 24h;  # (a restart keeps what was set before)
    } elsif (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_backend_fetch {
    # A page Varnish may keep must come within 5 s. pagecache/purging.py sends every purge
    # again 10 s after the change, so a page made from the data of before a change, which
    # arrives after the first purge, is taken out by the second. Forms and staff pages
    # (passed, never kept) may take as long as they need.
    if (!bereq.uncacheable) {
        set bereq.first_byte_timeout = 5s;
    }
}

sub vcl_backend_response {
    # Kept as long as the site's stale-if-error allows, for when no app server answers.
    set beresp.grace = 24h;
    # A failed refresh never replaces a good copy. A page everyone shares that the app
    # server could not make is given up the first time, so that vcl_synth looks for the
    # copy kept; asked again, the app server's own page (a kind "back in a minute") is
    # shown, and not kept.
    if (beresp.status >= 500 && bereq.http.alsblog-shared) {
        if (bereq.is_bgfetch || !bereq.http.alsblog-stale) {
            return (abandon);
        }
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
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

sub vcl_backend_error {
    # An app server that did not answer at all (stopped, or too slow): a read is asked of
    # the next one. A form is not sent twice; the page below says to send it again.
    if (bereq.retries < 1 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
    if (bereq.http.alsblog-shared && !bereq.http.alsblog-stale) {
        return (abandon);  # vcl_synth serves the copy kept, if there is one
    }
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Cache-Control = "no-store";
    set beresp.http.Retry-After = "30";
    call alsblog_back_in_a_minute;
    return (deliver);
}

sub vcl_synth {
    # A shared page the app servers could not give: the copy kept, if any (vcl_recv).
    if (resp.status == 503 && req.http.alsblog-shared && !req.http.alsblog-stale
        && req.restarts == 0) {
        set req.http.alsblog-stale = "1";
        return (restart);
    }
    if (resp.status == 503) {
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.http.Cache-Control = "no-store";
        set resp.http.Retry-After = "30";
        call alsblog_back_in_a_minute;
        return (deliver);
    }
}

# What a reader sees when no app server answers and no copy is kept: the site's own words
# for it (templates/503.html says the same), with nothing fetched from anywhere.
sub alsblog_back_in_a_minute {
    synthetic({"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>We are back in a minute</title>
<style>body{font:1.125rem/1.6 system-ui,sans-serif;color:#1a1a1a;max-width:36rem;margin:3rem auto;padding:0 1rem}h1{font-size:1.6rem}</style>
</head><body><main>
<h1>We are back in a minute</h1>
<p>The site cannot answer just now. Please try again in a minute.</p>
<p>If you were sending a comment or a form, it has not arrived: go back, and your browser
should still hold what you wrote; send it again in a minute.</p>
</main></body></html>
"});
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
