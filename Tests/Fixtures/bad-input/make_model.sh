#!/bin/sh
# Fits the small model folder the plan and CLI-flag cases load (`{model}` in case.txt):
# samples/weekly-2ch (channels x1, x2), 2 chains × 100 draws — enough for optimize/whatif to
# run; convergence does not matter here, only that the folder is a valid `mixplan fit` output.
# Run from the package root after `swift build -c release`.
set -e
rm -rf Tests/Fixtures/bad-input/model-2ch
.build/release/mixplan fit --config samples/weekly-2ch/mixplan.yaml --out Tests/Fixtures/bad-input/model-2ch \
    --chains 2 --warmup 150 --draws 100 --seed 1 --allow-unconverged --quiet
