"""What the benchmarks serve: the real app plus a bare endpoint, registered only here.

The bare endpoint goes through the same WSGI app, extensions and after-request hooks as
every page, so the ratio to it measures what a page itself costs.
"""

from boostcamp import create_app

app = create_app()


@app.get("/bench/bare")
def bare():
    return "ok"
