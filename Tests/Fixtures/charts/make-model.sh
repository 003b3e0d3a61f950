#!/bin/sh
# Regenerates the small fitted model the chart tests render (2 chains × 100 draws of the
# weekly-2ch sample, last 8 weeks held out). Run from the package root after
# `swift build -c release --product mixplan`. The fit is deliberately short (it need not
# converge): the tests check charts, not the sampler.
set -e
.build/release/mixplan fit --config samples/weekly-2ch/mixplan.yaml \
  --out Tests/Fixtures/charts/weekly-2ch-model --holdout 8 \
  --chains 2 --warmup 300 --draws 100 --seed 7 --allow-unconverged --quiet
