"""The smallest WSGI app: the ceiling the serving benchmark compares Ovi with.

    gunicorn -c python:portal.gunicorn_conf bench.hello:application

Same gunicorn settings (workers, sync worker class) as the site; no Django.
"""

BODY = b"Hello, world!\n"
HEADERS = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
