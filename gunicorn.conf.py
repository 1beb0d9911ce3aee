"""gunicorn's settings for FairPanel. gunicorn reads ./gunicorn.conf.py from the folder it
is started in (the project root, as README "Deploying" does); with ``-c another.py``
this file is not read and none of this applies.

- The access log (``--access-logfile -``) leaves out the path, the query and the referrer:
  an e-mailed sign-in link carries its secret in the path. Each line ends with the
  request id, which joins it to the app's own line (panel/logs.py) where the path is
  logged with the secret taken out.
"""
access_log_format = '%(h)s %(t)s "%(m)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
