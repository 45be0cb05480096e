/** @odoo-module **/
// The Monday consolidation, live: one server call (scp.forecast.measures.get_monday_screen) returns the
// columns and the rows; this screen only lays them out. A column added on the server shows here as is.
import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { DateTimeInput } from "@web/core/datetime/datetime_input";
import { deserializeDate, formatDate, serializeDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { formatFloat, formatInteger, formatMonetary } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

// How far a row is indented, by its level in the forecast hierarchy.
const LEVEL_DEPTH = { company: 0, region: 1, team: 2, rep: 3 };
const BANDS = ["success", "warning", "danger"];

export class MondayScreen extends Component {
    static template = "sales_cycle_process.MondayScreen";
    static components = { Layout, DateTimeInput };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        const past = this.props.state || {};
        this.state = useState({
            date: past.date || false,
            teamIds: past.teamIds || null,
            screen: null,
            waterfall: null,
        });
        useSetupAction({
            getLocalState: () => ({ date: this.state.date, teamIds: this.state.teamIds }),
        });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.screen = await this.orm.call("scp.forecast.measures", "get_monday_screen", [], {
            date: this.state.date || false,
            team_ids: this.state.teamIds,
        });
        this.state.date = this.state.screen.date;
        this.state.waterfall = null;
    }

    // --- filters ---------------------------------------------------------------------------------------
    get dateValue() {
        return deserializeDate(this.state.date);
    }

    get weekLabel() {
        return formatDate(deserializeDate(this.state.screen.week_start));
    }

    async onDateChange(value) {
        if (value) {
            this.state.date = serializeDate(value);
            await this.load();
        }
    }

    async shiftWeek(weeks) {
        this.state.date = serializeDate(this.dateValue.plus({ weeks }));
        await this.load();
    }

    async thisWeek() {
        this.state.date = false;
        await this.load();
    }

    isTeamShown(team) {
        return this.state.screen.team_ids.includes(team.id);
    }

    async toggleTeam(team) {
        const shown = this.state.screen.team_ids;
        const teamIds = this.isTeamShown(team)
            ? shown.filter((id) => id !== team.id)
            : [...shown, team.id];
        // no team at all means every team again
        this.state.teamIds = teamIds.length ? teamIds : null;
        await this.load();
    }

    // --- rows ------------------------------------------------------------------------------------------
    rowClass(row) {
        const classes = [`o_scp_monday_row_${row.level}`];
        if (row.level !== "rep") {
            classes.push("fw-bold", "table-light");
        } else if (row.commit_id) {
            classes.push("cursor-pointer");
        }
        return classes.join(" ");
    }

    indent(row) {
        const depths = this.state.screen.rows.map((r) => LEVEL_DEPTH[r.level] ?? 3);
        const depth = (LEVEL_DEPTH[row.level] ?? 3) - Math.min(...depths);
        return `padding-left: ${0.5 + 1.25 * depth}rem;`;
    }

    cellClass(row, column) {
        const classes = [`o_scp_monday_cell_${column.key}`, `o_scp_monday_kind_${column.kind}`];
        if (!["boolean", "char"].includes(column.kind)) {
            classes.push("text-end", "text-nowrap");
        }
        const band = column.colour && row[column.colour];
        if (BANDS.includes(band)) {
            classes.push(`o_scp_band_${band}`, `bg-${band}-subtle`, `text-${band}-emphasis`);
        }
        return classes.join(" ");
    }

    format(row, column) {
        const value = row[column.key];
        if (value === undefined || value === null || value === false) {
            return column.kind === "boolean" || column.kind === "char" ? "" : "–";
        }
        switch (column.kind) {
            case "monetary":
                return formatMonetary(value, { currencyId: row.currency_id, digits: [16, 0] });
            case "percent":
                return `${formatFloat(value, { digits: [16, 1] })} %`;
            case "float":
                return formatFloat(value, { digits: [16, 2] });
            case "integer":
                return formatInteger(value);
            default:
                return String(value);
        }
    }

    async openRow(row) {
        if (row.level !== "rep") {
            return;
        }
        if (!row.commit_id) {
            this.notification.add(
                _t("%(name)s has not submitted a commit for the week of %(week)s.", {
                    name: row.name,
                    week: this.weekLabel,
                }),
                { type: "warning" }
            );
            return;
        }
        await this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "scp.sales.commit",
            res_id: row.commit_id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    // --- the commit waterfall of a salesperson (scp.forecast.measures.get_monday_waterfall) -------------
    async showWaterfall(row) {
        this.state.waterfall = await this.orm.call("scp.forecast.measures", "get_monday_waterfall", [], {
            user_id: row.user_id,
            date: this.state.date || false,
        });
    }

    closeWaterfall() {
        this.state.waterfall = null;
    }

    formatAmount(amount) {
        return formatMonetary(amount, {
            currencyId: this.state.waterfall.currency_id,
            digits: [16, 0],
        });
    }

    // a step's bar: where it starts and how wide it is, in % of the largest running total
    waterfallBars() {
        const steps = this.state.waterfall.steps;
        let running = 0;
        const spans = steps.map((step) => {
            const from = step.total ? 0 : running;
            running = step.total ? step.amount : running + step.amount;
            return [Math.min(from, running), Math.max(from, running)];
        });
        const top = Math.max(1, ...spans.map(([, high]) => high));
        return steps.map((step, index) => {
            const [low, high] = spans[index];
            const colour = step.total ? "bg-primary" : step.amount < 0 ? "bg-danger" : "bg-success";
            return {
                ...step,
                colour,
                style: `height: 1rem; margin-left: ${(100 * low) / top}%; width: ${Math.max(0.5, (100 * (high - low)) / top)}%;`,
            };
        });
    }
}

registry.category("actions").add("sales_cycle_process.monday_screen", MondayScreen);
