"""Fixture diagrams the property tests deploy together."""
BPMN_FILES_FOR_PROPERTY = ["approval.bpmn", "parallel.bpmn", "call_child.bpmn", "call_parent.bpmn",
                           "timer_wait.bpmn", "multi_vote.bpmn"]
