"""Network map of an area: which organisations work together there, in which teams,
and through which operating models.

`network_data()` gives the graph as nested plain data (the accessible list is
rendered straight from it); `svg_layout()` places it in three columns — operating
models, teams, organisations — for the server-rendered SVG. No JavaScript anywhere.
Professional-only: callers go through directory.presenters.network_map_data().
"""

from directory import contracts, selectors
from directory.choices import TeamType

# SVG geometry, in user units (the SVG scales to the page width).
COLUMN_X = (8, 318, 628)
NODE_WIDTH = 264
NODE_HEIGHT = 40
ROW_GAP = 12
TOP = 48
MAX_LABEL = 34  # characters that fit a node at the font size in directory.css


def network_data(municipality, url_for):
    teams = []
    organisations = {}
    models = {}
    for team in selectors.teams_in_area(municipality):
        model = contracts.operating_model(team.operating_model_uid)
        members = []
        # The coordinating organisation is part of the network even when not listed as a member.
        people = [(member.organisation, member.role) for member in team.members.all()]
        if team.organisation_id not in {org.pk for org, _ in people}:
            people.insert(0, (team.organisation, ""))
        by_org = {}
        for org, role in people:
            by_org.setdefault(org.pk, (org, []))[1].append(role)
        for org, roles in by_org.values():
            roles = [role for role in roles if role]
            entry = organisations.setdefault(
                org.pk,
                {
                    "uid": org.uid,
                    "name": org.name,
                    "url": url_for("organisation", org.uid),
                    "sectors": [sector.name for sector in org.sectors.all()],
                    "teams": [],
                },
            )
            entry["teams"].append({"uid": team.uid, "name": team.name, "roles": roles})
            members.append({"uid": org.uid, "name": org.name, "url": entry["url"], "roles": roles})
        team_entry = {
            "uid": team.uid,
            "name": team.name,
            "url": url_for("team", team.uid),
            "team_type_label": str(TeamType(team.team_type).label)
            if team.team_type in TeamType.values
            else "",
            "operating_model": model,
            "members": members,
        }
        teams.append(team_entry)
        key = str(model["uid"]) if model else ""
        models.setdefault(key, {"model": model, "teams": []})["teams"].append(team_entry)

    # Operating models alphabetically, teams without one last.
    groups = sorted(
        models.values(), key=lambda group: (group["model"] is None, (group["model"] or {}).get("title", ""))
    )
    return {
        "municipality": {"code": municipality.code, "name": municipality.name},
        "county": {"code": municipality.county.code, "name": municipality.county.name}
        if municipality.county_id
        else None,
        "groups": groups,
        "teams": teams,
        "organisations": sorted(organisations.values(), key=lambda org: org["name"].casefold()),
    }


def _label(text):
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def _column(items, x):
    nodes = []
    for index, (key, title, subtitle, kind) in enumerate(items):
        y = TOP + index * (NODE_HEIGHT + ROW_GAP)
        nodes.append(
            {
                "key": key,
                "x": x,
                "y": y,
                "width": NODE_WIDTH,
                "height": NODE_HEIGHT,
                "label": _label(title),
                "title": title if not subtitle else f"{title} – {subtitle}",
                "kind": kind,
                "text_x": x + 10,
                "text_y": y + NODE_HEIGHT / 2 + 5,
                "anchor_in": (x, y + NODE_HEIGHT / 2),
                "anchor_out": (x + NODE_WIDTH, y + NODE_HEIGHT / 2),
            }
        )
    return nodes


def _edge(start, end):
    (x1, y1), (x2, y2) = start, end
    bend = (x2 - x1) / 2
    return {"d": f"M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} {x2 - bend:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"}


def svg_layout(data):
    """Nodes and edges of the three-column picture of `network_data()`."""
    model_items = [
        (f"m:{group['model']['uid']}", group["model"]["title"], "", "model")
        for group in data["groups"]
        if group["model"]
    ]
    team_items = [
        (f"t:{team['uid']}", team["name"], team["team_type_label"], "team") for team in data["teams"]
    ]
    org_items = [
        (f"o:{org['uid']}", org["name"], ", ".join(org["sectors"]), "organisation")
        for org in data["organisations"]
    ]
    nodes = (
        _column(model_items, COLUMN_X[0]) + _column(team_items, COLUMN_X[1]) + _column(org_items, COLUMN_X[2])
    )
    by_key = {node["key"]: node for node in nodes}
    edges = []
    for team in data["teams"]:
        team_node = by_key[f"t:{team['uid']}"]
        if team["operating_model"]:
            edges.append(
                _edge(by_key[f"m:{team['operating_model']['uid']}"]["anchor_out"], team_node["anchor_in"])
            )
        for member in team["members"]:
            edges.append(_edge(team_node["anchor_out"], by_key[f"o:{member['uid']}"]["anchor_in"]))
    rows = max(len(model_items), len(team_items), len(org_items), 1)
    return {
        "width": COLUMN_X[2] + NODE_WIDTH + 8,
        "height": TOP + rows * (NODE_HEIGHT + ROW_GAP) + 8,
        "column_x": [x + NODE_WIDTH / 2 for x in COLUMN_X],
        "nodes": nodes,
        "edges": edges,
    }
