"""Whole public pages, cached, and never stale or unapproved.

The bottom of the stack: it knows neither articles nor comments. The apps above plug in
through four hooks, each documented where it is defined:

- `pagecache.versions.register_next_change(source)`: when something goes public by itself
  (a scheduled article), so that the first request after that moment renews every page
  (the app queues the front cache's purge for that moment itself);
- `pagecache.placeholders.register(name, fill)` and `per_visitor(request, name, argument)`:
  a piece of a shared page that each visitor gets their own of (a form's timestamp);
- `pagecache.serving.personal_when(test)`: a session that `test` says holds something pages
  show its visitor gets pages rendered for it alone;
- `pagecache.serving.personal_cookie(name)`: the same for a request carrying an app's own
  cookie (a commenter's pending comments), seen before any database is asked.

What the public sees changes with `pagecache.versions.bump()`, called in the transaction of
each change; public views are wrapped in `pagecache.serving.cached_page`. A page taken down
is noted with `pagecache.gone.taken_down(paths)` (and `put_back(paths)`), so that an outage
answers it "not found".
"""
