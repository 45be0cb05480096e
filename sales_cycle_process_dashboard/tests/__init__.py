from . import test_playbook_dashboard
