"""The career office's six steps."""

STEP_NAMES = ("Research", "Develop", "Prepare", "Connect", "Interview", "Follow-up")


def step_label(step: int) -> str:
    """'Step 3 of 6 · Prepare' for a step number from 1 to 6."""
    step = min(max(step, 1), len(STEP_NAMES))
    return f"Step {step} of {len(STEP_NAMES)} · {STEP_NAMES[step - 1]}"
