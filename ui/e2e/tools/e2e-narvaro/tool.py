"""Närvaro steg för steg (browser journey test tool): a first run names the class, each action adds a
pupil to the state, "Klar" ends the session."""
from skriptoteket_toolkit import get_action_parts, read_inputs

ACTIONS = [
    {"action_id": "lagg_till", "label": "Lägg till elev", "kind": "form", "fields": [{"kind": "string", "name": "namn", "label": "Elevens namn", "required": True}]},
    {"action_id": "klar", "label": "Klar", "kind": "form", "fields": []},
]


def run_tool(input_dir, output_dir):
    action_id, payload, state = get_action_parts()
    if action_id is None:
        klass = read_inputs()["klass"]
        return {"outputs": [{"kind": "markdown", "markdown": "Klass **%s**: inga elever än." % klass}], "next_actions": ACTIONS, "state": {"klass": klass, "elever": []}}
    elever = list(state.get("elever", []))
    if action_id == "lagg_till":
        elever.append(payload["namn"])
        return {"outputs": [{"kind": "markdown", "markdown": "Klass %s: %s" % (state["klass"], ", ".join(elever))}], "next_actions": ACTIONS, "state": dict(state, elever=elever)}
    return {"outputs": [{"kind": "notice", "level": "info", "message": "Listan är klar: %s." % ", ".join(elever)}], "state": dict(state, elever=elever)}
