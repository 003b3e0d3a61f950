#!/bin/sh
# Regenerates the small fitted model the ArviZ export tests read (2 chains × 100 draws of the
# weekly-2ch sample, last 8 weeks held out), with sample_stats.csv. Run from the package root
# after `swift build -c release --product mixplan`; then re-run make_fixture.py (see there).
# The fit need not converge: the tests check the export, not the sampler.
set -e
.build/release/mixplan fit --config samples/weekly-2ch/mixplan.yaml \
  --out Tests/Fixtures/arviz/model --holdout 8 \
  --chains 2 --warmup 300 --draws 100 --seed 7 --allow-unconverged --quiet
