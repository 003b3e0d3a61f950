/// The report templates compiled in, so the library and the executable need no resource files.
/// Verbatim copies of `Templates/report.md.mustache` and `Templates/report.html.mustache`; a
/// test asserts they are identical to the files, so edit the files and copy them here.
public enum BundledTemplates {
    /// `Templates/report.md.mustache`, verbatim.
    public static let markdown = #"""
{{% CONTENT_TYPE: MARKDOWN }}
{{!
  MixPlan's Markdown report. Edit freely: every value is already formatted text, escaped for
  Markdown. The tag names are the fields of ReportContext (Sources/MixReport/ReportContext.swift),
  for example target, period.text, the recommendation section and the channels list. A section
  whose value is missing or an empty list is left out.
}}
# {{title}}

Data: {{period.text}}{{#period.holdoutText}}; {{.}}{{/period.holdoutText}}.

Model: {{modelText}}.
{{#exposures}}

{{.}}
{{/exposures}}

**Verdict: {{trust.headline}}**
{{#trust.retry}}

{{.}}
{{/trust.retry}}
{{#trust.hasReasons}}

| Failed check | What to try next |
|---|---|
{{/trust.hasReasons}}
{{#trust.reasons}}
| {{message}} | {{nextStep}} |
{{/trust.reasons}}

{{#recommendation}}
{{#keepsCurrent}}
- **In short:** no change is recommended: the current allocation is already the best within the bounds for the next {{horizon}}.
{{/keepsCurrent}}
{{^keepsCurrent}}
- **In short:** the recommended plan changes expected {{target}} by **{{change}}** ({{changePercent}}) over {{horizon}} and beats current spend in **{{probabilityBetter}}** of posterior draws.{{#caveat}} *Caveat: {{.}}*{{/caveat}}
{{/keepsCurrent}}
{{/recommendation}}
- **Confidence:** {{confidence.verdict}}; R² {{confidence.inSample.r2}} in sample{{#confidence.outOfSample}}, {{r2}} out of sample{{/confidence.outOfSample}}{{#backtest}}; backtest on the last {{heldOut}}: MAPE {{outOfSample.mape}} out of sample against {{inSample.mape}} in sample{{/backtest}}.
- **Media's share of {{target}}:** {{evidence.posteriorMediaShare}} after the data; the priors alone assumed {{evidence.priorMediaShare}}.

{{#hasWarnings}}
## Warnings

{{/hasWarnings}}
{{#warnings}}
- {{.}}
{{/warnings}}
{{#hasWarnings}}

{{/hasWarnings}}
{{#changes}}
## What changed since the last run

Then: {{previousPeriod}}. Now: {{currentPeriod}} — {{newData}}.
{{#notes}}
- {{.}}
{{/notes}}
{{#convergence}}
- Convergence: {{.}}.
{{/convergence}}

{{#plan}}
| | Last run | This run | Change |
|---|---:|---:|---:|
| Recommended budget | {{previousBudget}} | {{budget}} | {{budgetChange}} |
| Expected {{target}} | {{previousResponse}} | {{response}} | {{responseChange}} ({{responseChangePercent}}) |
| Chance the plan beats current spend | {{previousProbabilityBetter}} | {{probabilityBetter}} | |

{{/plan}}
| Channel | Recommended per {{periodUnit}} (last → now) | Change | ROAS (last → now) | Change | Contribution per {{periodUnit}} (last → now) | Change |
|---|---:|---:|---:|---:|---:|---:|
{{#channels}}
| {{name}}{{#status}} ({{.}}){{/status}} | {{previousRecommended}} → {{recommended}} | {{recommendedChange}} | {{previousRoas}} → {{roas}} | {{roasChange}} | {{previousContribution}} → {{contribution}} | {{contributionChange}} |
{{/channels}}

| Fit | Last run | This run | Change |
|---|---:|---:|---:|
{{#fit}}
| {{name}} | {{previous}} | {{current}} | {{change}} |
{{/fit}}

{{/changes}}
## Recommendation

{{#recommendation}}
{{#keepsCurrent}}
No change is recommended: spending **{{budget}}** over the next {{horizon}} as now is already the best
allocation within the bounds to maximise {{objectiveText}} (objective `{{objective}}`).{{#countsCarryover}} Figures include the carry-over after the horizon.{{/countsCarryover}}
{{/keepsCurrent}}
{{^keepsCurrent}}
Spend **{{budget}}** over the next {{horizon}} (current spend: {{currentSpend}}), allocated as below,
to maximise {{objectiveText}} (objective `{{objective}}`). Expected {{target}}: **{{response}}** against
{{currentResponse}} at current spend — a change of **{{change}}** ({{changePercent}} on the mean;
{{planIntervalLabel}} intervals). The new plan beats the current one in **{{probabilityBetter}}**
of posterior draws.{{#caveat}} *Caveat: {{.}}*{{/caveat}}{{#countsCarryover}} Figures include the carry-over after the horizon.{{/countsCarryover}}
{{/keepsCurrent}}
{{#fromEarlierSpend}}
Expected {{target}} includes {{fromEarlierSpend}} carried over from spend before the plan; ROAS
counts only what the plan's own spend adds.
{{/fromEarlierSpend}}

| Channel | Current per {{periodUnit}} | Recommended per {{periodUnit}} | Change | Share | Expected {{target}} ({{planIntervalLabel}}) | ROAS | Marginal ROAS |
|---|---:|---:|---:|---:|---:|---:|---:|
{{#channels}}
| {{name}}{{#fixed}} (fixed){{/fixed}} | {{current}} | {{recommended}} | {{change}} ({{changePercent}}) | {{share}} | {{response}} | {{roas}} | {{marginalRoas}} |
{{/channels}}

Plan ROAS {{roas}}. Optimiser certificate: {{certificate}}{{^certificateConverged}} (stopped at its iteration limit){{/certificateConverged}}.
{{/recommendation}}
{{^recommendation}}
No optimisation was run, so there is no recommended allocation in this report.
{{/recommendation}}
{{#charts.recommendation}}

![{{title}}]({{path}})
{{/charts.recommendation}}

## Fit and backtest

{{#trust.baseline}}
- Against the baseline: {{.}}.
{{/trust.baseline}}
{{#confidence.inSample}}
- Fit in sample ({{periods}}): R² {{r2}}, MAPE {{mape}}, NRMSE {{nrmse}}.
{{/confidence.inSample}}
{{#confidence.outOfSample}}
- Fit out of sample ({{periods}} held out): R² {{r2}}, MAPE {{mape}}, NRMSE {{nrmse}}.
{{/confidence.outOfSample}}
{{#backtest}}
- Backtest: refitted without the last {{heldOut}} ({{cost}}): MAPE {{inSample.mape}} and NRMSE {{inSample.nrmse}} in sample; MAPE {{outOfSample.mape}} and NRMSE {{outOfSample.nrmse}} on the {{heldOut}} it did not see.
{{/backtest}}
{{^backtest}}
{{^confidence.outOfSample}}
- No periods were held out and no backtest was run, so there is no out-of-sample check.
{{/confidence.outOfSample}}
{{/backtest}}
{{#charts.confidence}}

![{{title}}]({{path}})
{{/charts.confidence}}

## Channels

Over the data period; {{intervalLabel}} credible intervals in brackets. Marginal ROAS here is the extra
{{target}} per extra unit of spend had every period's spend been 1 % higher; the Recommendation's is
at the plan's spend per {{periodUnit}}, over its horizon.

| Channel | Spend | Contribution to {{target}} | Share of media effect | ROAS | Marginal ROAS |
|---|---:|---:|---:|---:|---:|
{{#channels}}
| {{name}} | {{spend}} | {{contribution}} | {{share}} | {{roas}} | {{marginalRoas}} |
{{/channels}}

### What the data showed, channel by channel

How much the data narrowed each channel's ROAS prior (1 − posterior ÷ prior variance; below 50 %,
or with a posterior sd above half its mean even when narrowed more, the channel is *prior-dominated*:
its figures are mostly what the priors assumed; computed from every posterior draw, it is the
figure `fit` printed), and its share of the
media effect against its share of spend. The priors alone put media at {{evidence.priorMediaShare}}
of {{target}}; the posterior puts it at {{evidence.posteriorMediaShare}}.

| Channel | ROAS prior | ROAS posterior | Narrowed | Spend share | Effect share | Verdict |
|---|---:|---:|---:|---:|---:|---|
{{#evidence.channels}}
| {{name}} | {{priorROAS}} | {{posteriorROAS}} | {{narrowed}} | {{spendShare}} | {{effectShare}} | {{#priorDominated}}**{{status}}**{{/priorDominated}}{{^priorDominated}}{{status}}{{/priorDominated}} |
{{/evidence.channels}}

{{#evidence.channels}}
{{#findings}}
- {{name}}: {{message}}. Next: {{nextStep}}.
{{/findings}}
{{/evidence.channels}}
{{#charts.channels}}

![{{title}}]({{path}})
{{/charts.channels}}
{{#calibration}}

## Calibration

Calibrated channels: {{channelsText}}. Each adstock and saturation parameter's prior against its
posterior ({{intervalLabel}} intervals); saturation parameters act on spend ÷ the channel's largest
spend, and β is the ceiling as a share of the largest {{target}}. A channel's roi_prior (its ROAS)
or lift_roi_prior (an experiment's incremental return) has its own row and replaces β's prior.

| Channel | Parameter | Prior | Prior mean (interval) | Posterior mean (interval) | Posterior interval |
|---|---|---|---:|---:|---:|
{{#parameters}}
| {{channel}} | {{label}} | {{prior}}{{#fromConfig}} (from config){{/fromConfig}} | {{priorText}} | {{posteriorText}} | {{narrowing}} |
{{/parameters}}
{{#hasTests}}

Lift tests, per {{periodUnit}}: the measured change against the change the model predicts for the
same change in spend (gap in standard errors of the test; beyond ±2 they disagree). The response
curves above draw each test from the curve at its spend.

| Channel | Window | Spend before | Spend change | Measured change | Model's change | Gap |
|---|---|---:|---:|---:|---:|---:|
{{#tests}}
| {{channel}} | {{window}} | {{spend}} | {{spendChange}} | {{measured}} | {{model}} | {{gap}}{{^agrees}} (disagrees){{/agrees}} |
{{/tests}}
{{/hasTests}}
{{#hasDisagreements}}

**{{disagreements}} lift test(s) disagree with the model** by more than two standard errors:
check the test's design and numbers, or the channel's model.
{{/hasDisagreements}}
{{#charts.calibration}}

![{{title}}]({{path}})
{{/charts.calibration}}
{{/calibration}}
{{#hasScenarios}}

## Scenarios

| Scenario | Spend | Expected {{target}} | Change against current | Chance better |
|---|---:|---:|---:|---:|
{{/hasScenarios}}
{{#scenarios}}
| {{name}} | {{spend}} | {{response}} | {{change}} | {{probabilityBetter}}{{#caveat}} (see caveat){{/caveat}} |
{{/scenarios}}
{{#scenarios}}
{{#caveat}}
- {{name}}: *Caveat: {{.}}*
{{/caveat}}
{{/scenarios}}
{{#frontier}}

## Budget frontier

Best expected {{target}} ({{objective}} objective) at each total budget, as a share of current spend.

| Budget | Amount | Expected {{target}} |
|---:|---:|---:|
{{#points}}
| {{#isCurrent}}**{{fraction}}**{{/isCurrent}}{{^isCurrent}}{{fraction}}{{/isCurrent}} | {{budget}} | {{response}} |
{{/points}}
{{#skipped}}

Budget left out of the frontier — {{.}}
{{/skipped}}
{{/frontier}}
{{#charts.hasModel}}

## Model shape

{{/charts.hasModel}}
{{#charts.model}}
![{{title}}]({{path}})

{{/charts.model}}
{{#charts.other}}

![{{title}}]({{path}})
{{/charts.other}}

## Appendix: sampler diagnostics

- Convergence: **{{confidence.verdict}}**{{#confidence.problemsText}} ({{.}}){{/confidence.problemsText}} — max R-hat {{confidence.maxRhat}}, min bulk ESS {{confidence.minEssBulk}}, {{confidence.divergences}}, {{confidence.draws}}.
{{#charts.appendix}}

![{{title}}]({{path}})
{{/charts.appendix}}

"""#

    /// `Templates/report.html.mustache`, verbatim.
    public static let html = #"""
<!DOCTYPE html>
{{!
  MixPlan's HTML report: one self-contained page (inline CSS; charts embedded as data URIs,
  or linked as charts/NAME.png beside it with --linked-images). Edit freely: every value is already formatted text and
  HTML-escaped. The tag names are the fields of ReportContext
  (Sources/MixReport/ReportContext.swift). A section whose value is missing or an empty
  list is left out.
}}
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>
  :root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --soft: #f4f6f9; --accent: #1f5fae; --good: #1b7a44; --bad: #b3261e; }
  * { box-sizing: border-box; }
  body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 -apple-system, "Segoe UI", "DejaVu Sans", Roboto, Helvetica, Arial, sans-serif; }
  main { max-width: 1040px; margin: 0 auto; padding: 28px 24px 48px; }
  h1 { font-size: 26px; margin: 0 0 4px; }
  h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
  p { margin: 8px 0; }
  .meta { color: var(--muted); margin: 0; }
  .alert { border-left: 5px solid var(--bad); background: #fdf0ef; padding: 10px 16px; margin: 20px 0; }
  .alert h2 { border: 0; margin: 0 0 6px; padding: 0; color: var(--bad); font-size: 17px; }
  .alert ul { margin: 4px 0; padding-left: 20px; }
  .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 18px 0 6px; }
  .card { flex: 1 1 200px; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--soft); }
  .card .label { color: var(--muted); font-size: 13px; }
  .card .value { font-size: 20px; font-weight: 600; }
  .card .sub { color: var(--muted); font-size: 13px; }
  .ok { color: var(--good); }
  .warn { color: var(--bad); }
  .table-wrap { overflow-x: auto; }
  table { border-collapse: collapse; width: 100%; margin: 10px 0; font-size: 14px; font-variant-numeric: tabular-nums; }
  th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
  th { background: var(--soft); font-weight: 600; vertical-align: bottom; white-space: normal; }
  th:first-child, td:first-child { text-align: left; white-space: normal; }
  tr.current td { font-weight: 600; background: #eef4fb; }
  .tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; background: var(--line); color: var(--muted); margin-left: 4px; }
  ul.facts { padding-left: 20px; }
  figure { margin: 18px 0; }
  figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
  figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
  figcaption strong { color: var(--ink); }
  .note { color: var(--muted); font-size: 13px; }
  .verdict { border-left: 5px solid var(--good); background: #eef7f1; padding: 10px 16px; margin: 20px 0; }
  .verdict.fail { border-color: var(--bad); background: #fdf0ef; }
  .verdict.lean { border-color: #b7791f; background: #fdf6e7; }
  .verdict p.headline { font-size: 17px; font-weight: 600; margin: 0 0 6px; }
  .caveat { color: #8a5a00; font-size: 13px; }
  @page { size: A4; margin: 14mm; }
  @media print {
    main { max-width: none; padding: 0; }
    h2 { break-after: avoid; }
    figure, table { break-inside: avoid; }
    table { font-size: 11px; }
    th, td { padding: 4px 6px; white-space: normal; }
  }
</style>
</head>
<body>
<main>
<h1>{{title}}</h1>
<p class="meta">Data: {{period.text}}{{#period.holdoutText}}; {{.}}{{/period.holdoutText}}.</p>
<p class="meta">Model: {{modelText}}.</p>
{{#exposures}}<p class="meta">{{.}}</p>
{{/exposures}}

<section class="verdict{{^converged}} fail{{/converged}}{{#converged}}{{#evidence.priorDominated}} lean{{/evidence.priorDominated}}{{/converged}}">
<p class="headline">{{trust.headline}}</p>
{{#trust.retry}}<p class="meta">{{.}}</p>{{/trust.retry}}
{{#trust.hasReasons}}
<div class="table-wrap"><table>
<tr><th>Failed check</th><th>What to try next</th></tr>
{{#trust.reasons}}
<tr><td>{{message}}</td><td style="text-align:left; white-space:normal">{{nextStep}}</td></tr>
{{/trust.reasons}}
</table></div>
{{/trust.hasReasons}}
</section>

{{#hasWarnings}}
<section class="alert">
<h2>Warnings</h2>
<ul>
{{#warnings}}
<li>{{.}}</li>
{{/warnings}}
</ul>
</section>
{{/hasWarnings}}

<div class="cards">
{{#recommendation}}
{{#keepsCurrent}}
<div class="card"><div class="label">Recommendation</div><div class="value">No change</div><div class="sub">the current allocation is already the best within the bounds for the next {{horizon}}</div></div>
{{/keepsCurrent}}
{{^keepsCurrent}}
<div class="card"><div class="label">Expected change in {{target}}</div><div class="value">{{change}}</div><div class="sub">{{changePercent}} over {{horizon}}, {{planIntervalLabel}} interval</div></div>
<div class="card"><div class="label">Chance the plan beats current spend</div><div class="value">{{probabilityBetter}}</div><div class="sub">share of posterior draws{{#caveat}}</div><div class="caveat">Caveat: {{.}}{{/caveat}}</div></div>
{{/keepsCurrent}}
{{/recommendation}}
<div class="card"><div class="label">Convergence</div><div class="value {{#converged}}ok{{/converged}}{{^converged}}warn{{/converged}}">{{confidence.verdict}}</div><div class="sub">max R-hat {{confidence.maxRhat}}, min ESS {{confidence.minEssBulk}}</div></div>
<div class="card"><div class="label">Fit (in sample)</div><div class="value">R² {{confidence.inSample.r2}}</div><div class="sub">MAPE {{confidence.inSample.mape}}{{#confidence.outOfSample}}; out of sample R² {{r2}}, MAPE {{mape}}{{/confidence.outOfSample}}{{#backtest}}; backtest MAPE {{outOfSample.mape}} on the last {{heldOut}}{{/backtest}}</div></div>
<div class="card"><div class="label">Media's share of {{target}}</div><div class="value">{{evidence.posteriorMediaShare}}</div><div class="sub">the priors alone assumed {{evidence.priorMediaShare}}</div></div>
</div>

{{#changes}}
<section>
<h2>What changed since the last run</h2>
<p>Then: {{previousPeriod}}. Now: {{currentPeriod}} — {{newData}}.</p>
{{#hasNotes}}
<ul class="facts">
{{#notes}}
<li>{{.}}</li>
{{/notes}}
{{#convergence}}
<li>Convergence: {{.}}.</li>
{{/convergence}}
</ul>
{{/hasNotes}}
{{#plan}}
<div class="table-wrap"><table>
<tr><th></th><th>Last run</th><th>This run</th><th>Change</th></tr>
<tr><td>Recommended budget</td><td>{{previousBudget}}</td><td>{{budget}}</td><td>{{budgetChange}}</td></tr>
<tr><td>Expected {{target}}</td><td>{{previousResponse}}</td><td>{{response}}</td><td>{{responseChange}} ({{responseChangePercent}})</td></tr>
<tr><td>Chance the plan beats current spend</td><td>{{previousProbabilityBetter}}</td><td>{{probabilityBetter}}</td><td></td></tr>
</table></div>
{{/plan}}
<div class="table-wrap"><table>
<tr><th>Channel</th><th>Recommended per {{periodUnit}}<br>last → now</th><th>Change</th><th>ROAS<br>last → now</th><th>Change</th><th>Contribution per {{periodUnit}}<br>last → now</th><th>Change</th></tr>
{{#channels}}
<tr><td>{{name}}{{#status}}<span class="tag">{{.}}</span>{{/status}}</td><td>{{previousRecommended}} → {{recommended}}</td><td>{{recommendedChange}}</td><td>{{previousRoas}} → {{roas}}</td><td>{{roasChange}}</td><td>{{previousContribution}} → {{contribution}}</td><td>{{contributionChange}}</td></tr>
{{/channels}}
</table></div>
<div class="table-wrap"><table>
<tr><th>Fit</th><th>Last run</th><th>This run</th><th>Change</th></tr>
{{#fit}}
<tr><td>{{name}}</td><td>{{previous}}</td><td>{{current}}</td><td>{{change}}</td></tr>
{{/fit}}
</table></div>
</section>
{{/changes}}

<section>
<h2>Recommendation</h2>
{{#recommendation}}
{{#keepsCurrent}}
<p>No change is recommended: spending <strong>{{budget}}</strong> over the next {{horizon}} as now is already the best allocation within the bounds to maximise {{objectiveText}} (objective <code>{{objective}}</code>).{{#countsCarryover}} Figures include the carry-over after the horizon.{{/countsCarryover}}</p>
{{/keepsCurrent}}
{{^keepsCurrent}}
<p>Spend <strong>{{budget}}</strong> over the next {{horizon}} (current spend: {{currentSpend}}), allocated as below, to maximise {{objectiveText}} (objective <code>{{objective}}</code>). Expected {{target}}: <strong>{{response}}</strong> against {{currentResponse}} at current spend — a change of <strong>{{change}}</strong> ({{changePercent}} on the mean; {{planIntervalLabel}} intervals). The new plan beats the current one in <strong>{{probabilityBetter}}</strong> of posterior draws.{{#caveat}} <span class="caveat">Caveat: {{.}}</span>{{/caveat}}{{#countsCarryover}} Figures include the carry-over after the horizon.{{/countsCarryover}}</p>
{{/keepsCurrent}}
{{#fromEarlierSpend}}<p class="note">Expected {{target}} includes {{fromEarlierSpend}} carried over from spend before the plan; ROAS counts only what the plan's own spend adds.</p>{{/fromEarlierSpend}}
<div class="table-wrap"><table>
<tr><th>Channel</th><th>Current per {{periodUnit}}</th><th>Recommended per {{periodUnit}}</th><th>Change</th><th>Share</th><th>Expected {{target}} ({{planIntervalLabel}})</th><th>ROAS</th><th>Marginal ROAS</th></tr>
{{#channels}}
<tr><td>{{name}}{{#fixed}}<span class="tag">fixed</span>{{/fixed}}</td><td>{{current}}</td><td>{{recommended}}</td><td>{{change}} ({{changePercent}})</td><td>{{share}}</td><td>{{response}}</td><td>{{roas}}</td><td>{{marginalRoas}}</td></tr>
{{/channels}}
</table></div>
<p class="note">Plan ROAS {{roas}}. Optimiser certificate: {{certificate}}{{^certificateConverged}} (stopped at its iteration limit){{/certificateConverged}}.</p>
{{/recommendation}}
{{^recommendation}}
<p>No optimisation was run, so there is no recommended allocation in this report.</p>
{{/recommendation}}
{{#charts.recommendation}}
<figure><img src="{{path}}" alt="{{title}}"><figcaption><strong>{{title}}.</strong> {{caption}}</figcaption></figure>
{{/charts.recommendation}}
</section>

<section>
<h2>Fit and backtest</h2>
<ul class="facts">
{{#trust.baseline}}
<li>Against the baseline: {{.}}.</li>
{{/trust.baseline}}
{{#confidence.inSample}}
<li>Fit in sample ({{periods}}): R² {{r2}}, MAPE {{mape}}, NRMSE {{nrmse}}.</li>
{{/confidence.inSample}}
{{#confidence.outOfSample}}
<li>Fit out of sample ({{periods}} held out): R² {{r2}}, MAPE {{mape}}, NRMSE {{nrmse}}.</li>
{{/confidence.outOfSample}}
{{#backtest}}
<li>Backtest: refitted without the last {{heldOut}} ({{cost}}): MAPE {{inSample.mape}} and NRMSE {{inSample.nrmse}} in sample; MAPE {{outOfSample.mape}} and NRMSE {{outOfSample.nrmse}} on the {{heldOut}} it did not see.</li>
{{/backtest}}
{{^backtest}}
{{^confidence.outOfSample}}
<li>No periods were held out and no backtest was run, so there is no out-of-sample check.</li>
{{/confidence.outOfSample}}
{{/backtest}}
</ul>
{{#charts.confidence}}
<figure><img src="{{path}}" alt="{{title}}"><figcaption><strong>{{title}}.</strong> {{caption}}</figcaption></figure>
{{/charts.confidence}}
</section>

<section>
<h2>Channels</h2>
<p>Over the data period; {{intervalLabel}} credible intervals in brackets. Marginal ROAS here is the extra {{target}} per extra unit of spend had every period's spend been 1 % higher; the Recommendation's is at the plan's spend per {{periodUnit}}, over its horizon.</p>
<div class="table-wrap"><table>
<tr><th>Channel</th><th>Spend</th><th>Contribution to {{target}}</th><th>Share of media effect</th><th>ROAS</th><th>Marginal ROAS</th></tr>
{{#channels}}
<tr><td>{{name}}</td><td>{{spend}}</td><td>{{contribution}}</td><td>{{share}}</td><td>{{roas}}</td><td>{{marginalRoas}}</td></tr>
{{/channels}}
</table></div>
<h3>What the data showed, channel by channel</h3>
<p>How much the data narrowed each channel's ROAS prior (1 − posterior ÷ prior variance; below 50 %, or with a posterior sd above half its mean even when narrowed more, the channel is <em>prior-dominated</em>: its figures are mostly what the priors assumed; computed from every posterior draw, it is the figure <code>fit</code> printed), and its share of the media effect against its share of spend. The priors alone put media at {{evidence.priorMediaShare}} of {{target}}; the posterior puts it at {{evidence.posteriorMediaShare}}.</p>
<div class="table-wrap"><table>
<tr><th>Channel</th><th>ROAS prior</th><th>ROAS posterior</th><th>Narrowed</th><th>Spend share</th><th>Effect share</th><th>Verdict</th></tr>
{{#evidence.channels}}
<tr><td>{{name}}</td><td>{{priorROAS}}</td><td>{{posteriorROAS}}</td><td>{{narrowed}}</td><td>{{spendShare}}</td><td>{{effectShare}}</td><td class="{{#priorDominated}}warn{{/priorDominated}}">{{status}}</td></tr>
{{/evidence.channels}}
</table></div>
<ul class="facts">
{{#evidence.channels}}
{{#findings}}
<li>{{name}}: {{message}}. Next: {{nextStep}}.</li>
{{/findings}}
{{/evidence.channels}}
</ul>
{{#charts.channels}}
<figure><img src="{{path}}" alt="{{title}}"><figcaption><strong>{{title}}.</strong> {{caption}}</figcaption></figure>
{{/charts.channels}}
</section>

{{#calibration}}
<section>
<h2>Calibration</h2>
<p>Calibrated channels: {{channelsText}}. Each adstock and saturation parameter's prior against its posterior ({{intervalLabel}} intervals); saturation parameters act on spend ÷ the channel's largest spend, and β is the ceiling as a share of the largest {{target}}. A channel's roi_prior (its ROAS) or lift_roi_prior (an experiment's incremental return) has its own row and replaces β's prior.</p>
<div class="table-wrap"><table>
<tr><th>Channel</th><th>Parameter</th><th>Prior</th><th>Prior mean (interval)</th><th>Posterior mean (interval)</th><th>Posterior interval</th></tr>
{{#parameters}}
<tr><td>{{channel}}</td><td>{{label}}</td><td>{{prior}}{{#fromConfig}} (from config){{/fromConfig}}</td><td>{{priorText}}</td><td>{{posteriorText}}</td><td>{{narrowing}}</td></tr>
{{/parameters}}
</table></div>
{{#hasTests}}
<p>Lift tests, per {{periodUnit}}: the measured change against the change the model predicts for the same change in spend (gap in standard errors of the test; beyond ±2 they disagree). The response curves above draw each test from the curve at its spend.</p>
<div class="table-wrap"><table>
<tr><th>Channel</th><th>Window</th><th>Spend before</th><th>Spend change</th><th>Measured change</th><th>Model's change</th><th>Gap</th></tr>
{{#tests}}
<tr><td>{{channel}}</td><td>{{window}}</td><td>{{spend}}</td><td>{{spendChange}}</td><td>{{measured}}</td><td>{{model}}</td><td>{{^agrees}}<span class="warn">{{/agrees}}{{gap}}{{^agrees}} (disagrees)</span>{{/agrees}}</td></tr>
{{/tests}}
</table></div>
{{/hasTests}}
{{#hasDisagreements}}
<p class="warn"><strong>{{disagreements}} lift test(s) disagree with the model</strong> by more than two standard errors: check the test's design and numbers, or the channel's model.</p>
{{/hasDisagreements}}
{{#charts.calibration}}
<figure><img src="{{path}}" alt="{{title}}"><figcaption><strong>{{title}}.</strong> {{caption}}</figcaption></figure>
{{/charts.calibration}}
</section>
{{/calibration}}

{{#hasScenarios}}
<section>
<h2>Scenarios</h2>
<div class="table-wrap"><table>
<tr><th>Scenario</th><th>Spend</th><th>Expected {{target}}</th><th>Change against current</th><th>Chance better</th></tr>
{{#scenarios}}
<tr><td>{{name}}</td><td>{{spend}}</td><td>{{response}}</td><td>{{change}}</td><td>{{probabilityBetter}}{{#caveat}}<div class="caveat">Caveat: {{.}}</div>{{/caveat}}</td></tr>
{{/scenarios}}
</table></div>
</section>
{{/hasScenarios}}

{{#frontier}}
<section>
<h2>Budget frontier</h2>
<p>Best expected {{target}} ({{objective}} objective) at each total budget, as a share of current spend.</p>
<div class="table-wrap"><table>
<tr><th>Budget</th><th>Amount</th><th>Expected {{target}}</th></tr>
{{#points}}
<tr{{#isCurrent}} class="current"{{/isCurrent}}><td>{{fraction}}</td><td>{{budget}}</td><td>{{response}}</td></tr>
{{/points}}
</table></div>
{{#skipped}}
<p class="note">Budget left out of the frontier — {{.}}</p>
{{/skipped}}
</section>
{{/frontier}}

{{#charts.hasModel}}
<section>
<h2>Model shape</h2>
{{#charts.model}}
<figure><img src="{{path}}" alt="{{title}}"><figcaption><strong>{{title}}.</strong> {{caption}}</figcaption></figure>
{{/charts.model}}
</section>
{{/charts.hasModel}}
{{#charts.other}}
<figure><img src="{{path}}" alt="{{title}}"><figcaption><strong>{{title}}.</strong> {{caption}}</figcaption></figure>
{{/charts.other}}

<section>
<h2>Appendix: sampler diagnostics</h2>
<ul class="facts">
<li>Convergence: <strong class="{{#converged}}ok{{/converged}}{{^converged}}warn{{/converged}}">{{confidence.verdict}}</strong>{{#confidence.problemsText}} ({{.}}){{/confidence.problemsText}} — max R-hat {{confidence.maxRhat}}, min bulk ESS {{confidence.minEssBulk}}, {{confidence.divergences}}, {{confidence.draws}}.</li>
</ul>
{{#charts.appendix}}
<figure><img src="{{path}}" alt="{{title}}"><figcaption><strong>{{title}}.</strong> {{caption}}</figcaption></figure>
{{/charts.appendix}}
</section>
</main>
</body>
</html>

"""#
}
