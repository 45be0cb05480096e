# sales_cycle_process: the two everyday commands are `make run` and `make test`.
# ODOO_SRC (default ~/odoo/18.0) points at an Odoo 18.0 source tree.
.PHONY: run test test-odoo test-odoo-sale test-odoo-bin test-upgrade test-dist dist lint stop clean bench screenshots pack-pictures cluster cluster-load cluster-stop bench-cluster

run:   ## create .venv and a private PostgreSQL, install the addon with demo data, serve on :8069
	@scripts/dev.sh run

test:  ## fresh database with the addon and demo data, the whole pytest-odoo suite, Odoo's crm and sale_crm suites, the upgrade test
	@scripts/dev.sh test $(PYTEST_ARGS)

test-odoo: ## Odoo's own crm and sale_crm suites on the test database (tests/odoo_suites_known_differences.txt deselected)
	@scripts/dev.sh test-odoo $(PYTEST_ARGS)

test-odoo-sale: ## Odoo's own sale suite on the test database, for the figures (not part of `make test`)
	@ODOO_SUITES=sale scripts/dev.sh test-odoo $(PYTEST_ARGS)

test-odoo-bin: ## the addon's tests as Odoo's own runner runs them (odoo-bin -i --test-enable on a fresh database), for the count
	@scripts/dev.sh test-odoo-bin

test-upgrade: ## install the previous version (UPGRADE_FROM=<git rev>) with demo data, update it to this tree, check the data
	@scripts/dev.sh test-upgrade $(PYTEST_ARGS)

dist:  ## the wheels of the three addons (whool, each addon's pyproject.toml) into dist/, version and dependencies checked
	@scripts/dev.sh dist

test-dist: ## make dist, then a fresh venv with Odoo (pip install -e) and the wheels; Odoo installs the addon from site-packages on a new database
	@scripts/dev.sh test-dist

bench: ## benchmarks: each job as a ratio of its baseline, with SQL queries and peak memory
	@scripts/dev.sh bench $(BENCH_ARGS)

cluster: ## a local cluster (docs/scale.md): PostgreSQL primary + hot-standby replica, two Odoo servers with job runner, a balancer
	@scripts/cluster.sh up

cluster-load: ## load the cluster's database by SQL (CLUSTER_PARTNERS=200000 CLUSTER_LEADS=1000000 by default)
	@scripts/cluster.sh load

cluster-stop: ## stop the local cluster (scripts/cluster.sh clean removes it)
	@scripts/cluster.sh down

bench-cluster: ## on the cluster: cadence fan-out on 1 and 2 job workers vs the single cron, a worker killed, 50 concurrent pack downloads with and without the replica, memory per worker
	@scripts/cluster.sh bench $(BENCH_ARGS)

screenshots: ## PNGs of the key screens from the demo database of `make run` (needs chromium)
	@scripts/dev.sh screenshots $(SCREENSHOTS_ARGS)

pack-pictures: ## PNGs of the review packs' cover sheets and main charts from the demo database of `make run` (needs LibreOffice)
	@scripts/dev.sh pack-pictures $(PACK_PICTURES_ARGS)

lint:  ## pre-commit run --all-files: OCA's Odoo checks, ruff check, ruff format, pylint-odoo
	@scripts/dev.sh lint

stop:  ## stop the private PostgreSQL cluster
	@scripts/dev.sh stop

clean: ## remove the cluster, the databases and .venv
	@scripts/dev.sh clean
