"""One module per step of the stepper: its guidance and its working tools."""
