#!/bin/sh
# Regenerates gallery/: the 1× chart pack of the bundled weekly-5ch sample (fit with the
# sample's own config, last 12 weeks held out; mean-optimal plan over 12 weeks with every
# channel within ±30 % of current spend; 20-budget frontier), as the charts bench draws it.
# Run from the package root. Not read by tests: it is there to look at.
set -e
swift build -c release --product mixplan --product mixplan-bench
.build/release/mixplan fit --config samples/weekly-5ch/mixplan.yaml --out /tmp/mixplan-gallery-model \
  --holdout 12 --allow-unconverged --quiet
.build/release/mixplan-bench charts --model=/tmp/mixplan-gallery-model --out=/tmp/mixplan-gallery
rm -rf Tests/Fixtures/charts/gallery
cp -r /tmp/mixplan-gallery/1x Tests/Fixtures/charts/gallery
