"""``python -m api.cli``: the same commands as the ``mtcflow`` script."""
from api.cli.main import main

main()
