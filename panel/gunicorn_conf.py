"""gunicorn's settings for FairPanel, in the package so that they travel with it (the
wheel, any working directory): start gunicorn with ``-c python:panel.gunicorn_conf``
(README, "Deploying"). Without it none of this applies.

- The access log (``--access-logfile -``) leaves out the path, the query and the referrer:
  an e-mailed sign-in link carries its secret in the path. Each line ends with the
  request id, which joins it to the app's own line (panel/logs.py) where the path is
  logged with the secret taken out.
- Before any worker starts, the settings are checked as ``create_app`` checks them, and
  with the number of workers too: production with several workers refuses the in-memory
  rate-limit store (each worker would count sign-in attempts on its own).
"""
import os

access_log_format = '%(h)s %(t)s "%(m)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'


def on_starting(server):
    from panel import paths

    config = paths.settings()  # root config.py in the checkout, panel.settings installed
    settings = config.settings_of(os.environ.get("FAIRPANEL_CONFIG", "development"))
    problems = config.startup_problems(settings, workers=server.cfg.workers)
    if problems:
        # gunicorn prints a RuntimeError's message and exits with status 1.
        raise RuntimeError("FairPanel will not start until this is fixed:\n- "
                           + "\n- ".join(problems))
