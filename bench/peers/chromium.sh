#!/bin/sh
# The system Chromium for the peers: as root it starts only without its sandbox (see PLATFORM.md).
exec /usr/bin/chromium --no-sandbox "$@"
