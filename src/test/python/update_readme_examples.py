#!/usr/bin/env python3
"""Rewrite the output shown under every ``$ java -jar target/chainproof.jar ...`` example in README.md.

ReadmeTests fails when README.md shows output the CLI no longer prints. After a deliberate change to the
output, rebuild and run this from the repository root, then review the diff of README.md:

    mvn -B -q -DskipTests package && python3 src/test/python/update_readme_examples.py
"""
import subprocess

PROMPT = "$ java -jar target/chainproof.jar "


def run(args):
    done = subprocess.run(["java", "-jar", "target/chainproof.jar"] + args, capture_output=True, text=True)
    return done.stdout + done.stderr


def main():
    with open("README.md", encoding="utf-8") as f:
        blocks = f.read().split("```")
    for i in range(1, len(blocks), 2):
        first_line_end = blocks[i].index("\n")
        body = blocks[i][first_line_end + 1:]
        if body.startswith(PROMPT):
            command = body[len(PROMPT):body.index("\n")]
            blocks[i] = blocks[i][:first_line_end + 1] + PROMPT + command + "\n" + run(command.split(" "))
    with open("README.md", "w", encoding="utf-8") as f:
        f.write("```".join(blocks))


if __name__ == "__main__":
    main()
