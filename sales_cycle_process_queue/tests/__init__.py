from . import test_queue_cadence
from . import test_queue_packs
