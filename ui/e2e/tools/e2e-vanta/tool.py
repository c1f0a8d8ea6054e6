"""Lång beräkning (browser journey test tool): sleeps longer than any journey waits, until cancelled."""
import time


def run_tool(input_dir, output_dir):
    time.sleep(100)
    return "klar"
