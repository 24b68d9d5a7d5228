"""Settings for the test suite: the production settings with faster hashing and no static manifest."""

import os

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    # The object store of config.settings when the CERTPREP_S3_* variables are set (the multi-process tests
    # run their servers on the production settings and check these against the same bucket).
    "default": s3_storage()  # noqa: F405
    if CERTPREP_S3_BUCKET  # noqa: F405
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: the browser journeys' live server then runs on the
    # production settings (WAL, immediate transactions, busy timeout), and parallel instant saves queue
    # for the write lock the way they do when served, instead of failing with "database table is locked".
    # One file per test run (the process id), so runs side by side never share it; the run deletes it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-certprep-{os.getpid()}.sqlite3")}  # noqa: F405

# Background tasks stay on the database backend of the settings above (django-tasks-db), so tests exercise the
# real queue: a test runs the queued jobs with the worker in-process (`call_command("db_worker", batch=True)`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Report files drawn in the worker's own process, in order (the pool has its own test, test_drawing.py); a
# benchmark starting a real worker on these settings gives it drawing processes through the environment.
CERTPREP_REPORT_PROCESSES = int(os.environ.get("CERTPREP_REPORT_PROCESSES") or 0)
