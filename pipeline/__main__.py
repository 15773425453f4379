import gc
import sys

from pipeline.cli import main

status = main()
# Whatever is left is freed when the process exits: spare the collector its last pass over all of
# it (reference data, imported modules): 0.02 s at exit instead of 0.05-0.06 s.
gc.freeze()
sys.exit(status)
