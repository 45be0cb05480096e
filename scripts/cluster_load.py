"""Load a `make cluster` database at scale, by SQL (issue #17): salespeople in sales teams (by the ORM, a
few), then partners, opportunities and each salesperson's commit of the week with its deals (by SQL, in
a few statements each).

    scripts/cluster.sh load [--partners 200000] [--leads 1000000] [--users 100]

Idempotent by size: a second run with the same figures adds nothing; it adds what is missing otherwise.
The partners follow the shipped cadence rules: a quarter are large distributors, a quarter small ones, a
tenth selected customers, each with a salesperson.
"""

import argparse
import os
import time

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

TEAM_SIZE = 10


def salespeople(env, count):
    """``count`` salespeople named scale_rep_N in teams of TEAM_SIZE, each team led by a scale_lead_N."""
    Users = env["res.users"].with_context(
        no_reset_password=True, tracking_disable=True, mail_create_nolog=True
    )
    existing = Users.search([("login", "=like", "scale_rep_%")])
    if len(existing) >= count:
        return existing[:count]
    salesman = env.ref("sales_team.group_sale_salesman")
    manager = env.ref("sales_team.group_sale_manager")
    users = existing
    for team_no in range(len(existing) // TEAM_SIZE, (count + TEAM_SIZE - 1) // TEAM_SIZE):
        leader = Users.create(
            {
                "name": f"Scale Team Leader {team_no}",
                "login": f"scale_lead_{team_no}",
                "groups_id": [(6, 0, [manager.id, env.ref("base.group_user").id])],
            }
        )
        members = Users.create(
            [
                {
                    "name": f"Scale Rep {n}",
                    "login": f"scale_rep_{n}",
                    "groups_id": [(6, 0, [salesman.id, env.ref("base.group_user").id])],
                }
                for n in range(team_no * TEAM_SIZE, min(count, (team_no + 1) * TEAM_SIZE))
            ]
        )
        env["crm.team"].create(
            {"name": f"Scale Team {team_no}", "user_id": leader.id, "member_ids": [(6, 0, members.ids)]}
        )
        users |= members
    env.cr.commit()
    return users


def load_partners(cr, target, user_ids, company_id):
    cr.execute("SELECT count(*) FROM res_partner WHERE ref LIKE 'scale-%%'")
    have = cr.fetchone()[0]
    if have >= target:
        return 0
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, ref, active, type, is_company, company_id, user_id,
                                 lang, distributor_tier, selected_customer, customer_rank, autopost_bills,
                                 create_date, write_date, create_uid, write_uid)
        SELECT 'Scale Partner ' || n, 'Scale Partner ' || n, 'scale-' || n, true, 'contact', true,
               %(company)s, (%(users)s::int[])[1 + n %% cardinality(%(users)s::int[])], 'en_US',
               CASE n %% 4 WHEN 0 THEN 'large' WHEN 1 THEN 'small' END, n %% 10 = 2, 1, 'ask',
               now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
          FROM generate_series(%(start)s, %(stop)s) AS n
        """,
        {"company": company_id, "users": list(user_ids), "start": have + 1, "stop": target},
    )
    return cr.rowcount


def load_leads(cr, target, company_id, stage_ids):
    cr.execute("SELECT count(*) FROM crm_lead WHERE name LIKE 'Scale Deal %%'")
    have = cr.fetchone()[0]
    if have >= target:
        return 0
    cr.execute("SELECT min(id), max(id) FROM res_partner WHERE ref LIKE 'scale-%%'")
    first_partner, last_partner = cr.fetchone()
    cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, company_id, partner_id, user_id, team_id, stage_id,
                              expected_revenue, prorated_revenue, probability, automated_probability,
                              date_deadline, date_open, date_last_stage_update, priority, create_date,
                              write_date, create_uid, write_uid)
        SELECT 'Scale Deal ' || n, 'opportunity', true, %(company)s, p.id, p.user_id, m.crm_team_id,
               (%(stages)s::int[])[1 + n %% cardinality(%(stages)s::int[])],
               1000 + (n %% 97) * 250, (1000 + (n %% 97) * 250) * (10 + n %% 80) / 100.0,
               10 + n %% 80, 10 + n %% 80,
               (now() at time zone 'UTC')::date + (n %% 120), now() at time zone 'UTC',
               now() at time zone 'UTC', '0', now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
          FROM generate_series(%(start)s, %(stop)s) AS n
          JOIN res_partner p ON p.id = %(first)s + (n %% (%(last)s - %(first)s + 1))
          LEFT JOIN LATERAL (SELECT crm_team_id FROM crm_team_member
                              WHERE user_id = p.user_id AND active ORDER BY id LIMIT 1) m ON true
        """,
        {
            "company": company_id,
            "stages": list(stage_ids),
            "start": have + 1,
            "stop": target,
            "first": first_partner,
            "last": last_partner,
        },
    )
    return cr.rowcount


def load_commits(cr, company_id, lines_per_commit):
    """Each salesperson's commit of this week, with ``lines_per_commit`` of their deals (the packs' rows)."""
    cr.execute(
        "SELECT count(*) FROM scp_sales_commit c JOIN res_users u ON u.id = c.user_id "
        "WHERE u.login LIKE 'scale_rep_%%'"
    )
    if cr.fetchone()[0]:
        return 0
    cr.execute(
        """
        INSERT INTO scp_sales_commit (user_id, team_id, company_id, week_start, state, submitted_on,
                                      submitted_by_id, commit_week, upside_week, commit_month, upside_month,
                                      commit_quarter, upside_quarter, commit_total, create_date, write_date,
                                      create_uid, write_uid)
        SELECT u.id, m.crm_team_id, %(company)s, date_trunc('week', now())::date, 'current',
               now() at time zone 'UTC', u.id, 0, 0, 0, 0, 0, 0, 0,
               now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
          FROM res_users u
          JOIN crm_team_member m ON m.user_id = u.id AND m.active
         WHERE u.login LIKE 'scale_rep_%%'
        """,
        {"company": company_id},
    )
    cr.execute(
        """
        INSERT INTO scp_sales_commit_line (commit_id, user_id, week_start, state, company_id, lead_id,
                                           lead_name, lead_user_id, partner_name, amount, probability,
                                           date_deadline, category, create_date, write_date, create_uid,
                                           write_uid)
        SELECT c.id, c.user_id, c.week_start, c.state, c.company_id, l.id, l.name, l.user_id, p.name,
               l.expected_revenue, l.probability, l.date_deadline,
               CASE WHEN l.probability >= 70 THEN 'commit' ELSE 'upside' END,
               now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
          FROM scp_sales_commit c
          JOIN LATERAL (SELECT * FROM crm_lead WHERE user_id = c.user_id AND type = 'opportunity'
                         ORDER BY id LIMIT %(lines)s) l ON true
          LEFT JOIN res_partner p ON p.id = l.partner_id
         WHERE c.user_id IN (SELECT id FROM res_users WHERE login LIKE 'scale_rep_%%')
        """,
        {"lines": lines_per_commit},
    )
    cr.execute(
        """
        UPDATE scp_sales_commit c
           SET commit_week = s.commit_amount, upside_week = s.upside_amount, commit_total = s.commit_amount
          FROM (SELECT commit_id,
                       sum(amount) FILTER (WHERE category = 'commit') AS commit_amount,
                       sum(amount) FILTER (WHERE category = 'upside') AS upside_amount
                  FROM scp_sales_commit_line GROUP BY commit_id) s
         WHERE s.commit_id = c.id
        """
    )
    return cr.rowcount


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conf", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--partners", type=int, default=int(os.environ.get("CLUSTER_PARTNERS", 200000)))
    parser.add_argument("--leads", type=int, default=int(os.environ.get("CLUSTER_LEADS", 1000000)))
    parser.add_argument("--users", type=int, default=int(os.environ.get("CLUSTER_USERS", 100)))
    parser.add_argument("--commit-lines", type=int, default=int(os.environ.get("CLUSTER_COMMIT_LINES", 200)))
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.conf, "--workers=0", "--logfile="])
    registry = Registry(args.database)
    t0 = time.monotonic()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        users = salespeople(env, args.users)
        company = env.ref("base.main_company")
        stages = env["crm.stage"].search([("is_won", "=", False)]).ids
        cr.execute("SET synchronous_commit = off")
        partners = load_partners(cr, args.partners, users.ids, company.id)
        cr.commit()
        print(f"partners: +{partners} ({time.monotonic() - t0:.0f} s)", flush=True)
        leads = load_leads(cr, args.leads, company.id, stages)
        cr.commit()
        print(f"opportunities: +{leads} ({time.monotonic() - t0:.0f} s)", flush=True)
        commits = load_commits(cr, company.id, args.commit_lines)
        cr.commit()
        print(f"commits of the week: +{commits} ({time.monotonic() - t0:.0f} s)", flush=True)
        cr.execute("ANALYZE")
    print(f"loaded in {time.monotonic() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
