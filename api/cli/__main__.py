"""``python -m api.cli.main``: the same commands as the ``mtcflow`` script."""
from api.cli.main import main

main()
