#!/bin/sh
# Stands in for a Python whose reference script starts, then dies on its first request (as a segfaulting torch would).
echo '{"event": "ready", "torch": "0.0.0-fake", "python": "fake", "executable": "crashing_python.sh"}'
read -r request
echo "fake Python: crashing on purpose" >&2
kill -SEGV $$
