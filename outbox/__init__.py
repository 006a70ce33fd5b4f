"""The durable outbox: every email the site sends, queued with the change that causes it.

How to send (see outbox/queue.py):

- `@outbox.queue.composer` marks a function that turns ids into `Message`s, and
  `outbox.queue.enqueue(composer, **ids)` queues it in the caller's transaction: if the
  change rolls back, so does the email. The background worker (`manage.py db_worker`, which
  `make run` starts) calls the composer, stores one `Email` row per message and sends it.
- `outbox.queue.send(messages)` stores ready-made messages now, in the caller's transaction.
- `outbox.queue.send_bulk(content, recipients)` stores one `Content` for many recipients,
  each with their own values for its [[markers]] (a newsletter's unsubscribe link).

Delivery (outbox/delivery.py) retries what failed with backoff, records a permanent refusal
and never sends a message twice; the admin lists every email with a retry action.

Inside the app, each module uses only those below it (`make lint` checks it): queue.py and
sweep.py, then tasks.py (the worker's tasks, which queue the next delivery run), then
delivery.py and store.py, then messages.py and models.py.
"""
