"""Background jobs: work that should not hold up a request (sending mail, and later
imports and reminders), on Dramatiq. ``queue.py`` declares job kinds and enqueues them
after commit, ``runner.py`` runs one and keeps its row in ``models.Job`` current,
``cli.py`` is ``flask worker``, ``queries.py`` lists jobs for the pages."""
