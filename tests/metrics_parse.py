#!/usr/bin/python3
"""Parses Prometheus text (stdin) with the real parser, prometheus_client's
text_string_to_metric_families, and prints what tests need as JSON:
{"families": {name: type}, "samples": {"name{k=v,...}": value}} with label
pairs sorted by name. Exits 1 (message on stderr) when the text is invalid."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = sys.stdin.read()
    families = {}
    samples = {}
    try:
        for family in text_string_to_metric_families(text):
            families[family.name] = family.type
            for sample in family.samples:
                labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
                samples[f"{sample.name}{{{labels}}}"] = sample.value
    except Exception as error:  # the parser raises ValueError and others
        print(f"invalid Prometheus text: {error}", file=sys.stderr)
        return 1
    json.dump({"families": families, "samples": samples}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
