"""Imported by the fork server alone (workers_context preloads it), never by the build: every
worker forked from the server then takes Ctrl-C's default action from its first instruction.

as_a_worker sets the same once a worker runs its own code, but a worker still starting (the
validation workers import the validator first, ~0.3 s) took Ctrl-C as a KeyboardInterrupt and
printed its traceback. The fork server ignores SIGINT itself and gives its children the
handler it found after its preloads: this one.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_DFL)
