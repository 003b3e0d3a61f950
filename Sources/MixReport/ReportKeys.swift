/// The names a report template can use: every field of `ReportContext`, as dotted paths, with
/// `[]` after a list (`channels[].name` is `{{name}}` inside `{{#channels}}`). The renderer
/// finds fields by reflection and renders an unknown name as nothing, so `TemplateKeyCheck`
/// compares a template's names with this tree when the template is loaded.
///
/// Generated from a context in which every optional is set and every list holds an element;
/// `TemplateKeyCheckTests.testKeyListIsTheContextsFieldTree` rebuilds it that way and fails, printing the new list, whenever a field of
/// `ReportContext` is added, renamed or removed without this list following.
public enum ReportKeys {
    /// One name and what it holds: fields (an object, or a list's elements) or nothing (text,
    /// a flag, a list of text).
    public final class Node: Sendable {
        public let children: [String: Node]
        public let isList: Bool

        init(children: [String: Node], isList: Bool) {
            self.children = children
            self.isList = isList
        }
    }

    /// The context's root.
    public static let root: Node = tree(paths)

    /// Builds the tree of `paths` ("a", "a.b[]", "a.b[].c").
    static func tree(_ paths: [String]) -> Node {
        final class Builder {
            var children: [String: Builder] = [:]
            var isList = false
            func node() -> Node { Node(children: children.mapValues { $0.node() }, isList: isList) }
        }
        let root = Builder()
        for path in paths {
            var at = root
            for part in path.split(separator: ".") {
                let isList = part.hasSuffix("[]")
                let name = String(isList ? part.dropLast(2) : part)
                let next = at.children[name] ?? Builder()
                next.isList = next.isList || isList
                at.children[name] = next
                at = next
            }
        }
        return root.node()
    }

    /// Every field path of `ReportContext`, one per line (see the type's comment).
    public static let paths: [String] = """
title
target
currency
periodUnit
period
period.start
period.end
period.text
period.holdoutText
modelText
exposures[]
intervalLabel
planIntervalLabel
converged
trust
trust.headline
trust.reasons[]
trust.reasons[].message
trust.reasons[].nextStep
trust.hasReasons
trust.baseline
trust.retry
evidence
evidence.channels[]
evidence.channels[].name
evidence.channels[].priorROAS
evidence.channels[].posteriorROAS
evidence.channels[].narrowed
evidence.channels[].spendShare
evidence.channels[].effectShare
evidence.channels[].status
evidence.channels[].priorDominated
evidence.channels[].findings[]
evidence.channels[].findings[].message
evidence.channels[].findings[].nextStep
evidence.priorDominated
evidence.priorMediaShare
evidence.posteriorMediaShare
backtest
backtest.heldOut
backtest.inSample
backtest.inSample.r2
backtest.inSample.mape
backtest.inSample.nrmse
backtest.inSample.periods
backtest.outOfSample
backtest.outOfSample.r2
backtest.outOfSample.mape
backtest.outOfSample.nrmse
backtest.outOfSample.periods
backtest.cost
warnings[]
hasWarnings
recommendation
recommendation.objective
recommendation.objectiveText
recommendation.horizon
recommendation.budget
recommendation.currentSpend
recommendation.response
recommendation.currentResponse
recommendation.change
recommendation.changePercent
recommendation.probabilityBetter
recommendation.caveat
recommendation.keepsCurrent
recommendation.roas
recommendation.countsCarryover
recommendation.fromEarlierSpend
recommendation.channels[]
recommendation.channels[].name
recommendation.channels[].current
recommendation.channels[].recommended
recommendation.channels[].change
recommendation.channels[].changePercent
recommendation.channels[].share
recommendation.channels[].response
recommendation.channels[].roas
recommendation.channels[].marginalRoas
recommendation.channels[].fixed
recommendation.certificate
recommendation.certificateConverged
confidence
confidence.verdict
confidence.problems[]
confidence.problemsText
confidence.maxRhat
confidence.minEssBulk
confidence.divergences
confidence.draws
confidence.inSample
confidence.inSample.r2
confidence.inSample.mape
confidence.inSample.nrmse
confidence.inSample.periods
confidence.outOfSample
confidence.outOfSample.r2
confidence.outOfSample.mape
confidence.outOfSample.nrmse
confidence.outOfSample.periods
channels[]
channels[].name
channels[].spend
channels[].contribution
channels[].share
channels[].roas
channels[].marginalRoas
scenarios[]
scenarios[].name
scenarios[].spend
scenarios[].response
scenarios[].change
scenarios[].probabilityBetter
scenarios[].caveat
hasScenarios
frontier
frontier.objective
frontier.points[]
frontier.points[].fraction
frontier.points[].budget
frontier.points[].response
frontier.points[].isCurrent
frontier.skipped[]
changes
changes.previousPeriod
changes.currentPeriod
changes.newData
changes.notes[]
changes.plan
changes.plan.previousBudget
changes.plan.budget
changes.plan.budgetChange
changes.plan.previousResponse
changes.plan.response
changes.plan.responseChange
changes.plan.responseChangePercent
changes.plan.previousProbabilityBetter
changes.plan.probabilityBetter
changes.channels[]
changes.channels[].name
changes.channels[].status
changes.channels[].previousRecommended
changes.channels[].recommended
changes.channels[].recommendedChange
changes.channels[].previousRoas
changes.channels[].roas
changes.channels[].roasChange
changes.channels[].previousContribution
changes.channels[].contribution
changes.channels[].contributionChange
changes.fit[]
changes.fit[].name
changes.fit[].previous
changes.fit[].current
changes.fit[].change
changes.convergence
changes.hasNotes
calibration
calibration.channelsText
calibration.parameters[]
calibration.parameters[].channel
calibration.parameters[].label
calibration.parameters[].prior
calibration.parameters[].fromConfig
calibration.parameters[].priorText
calibration.parameters[].posteriorText
calibration.parameters[].narrowing
calibration.tests[]
calibration.tests[].channel
calibration.tests[].window
calibration.tests[].spend
calibration.tests[].spendChange
calibration.tests[].measured
calibration.tests[].model
calibration.tests[].gap
calibration.tests[].agrees
calibration.tests[].source
calibration.hasTests
calibration.disagreements
calibration.hasDisagreements
charts
charts.recommendation[]
charts.recommendation[].file
charts.recommendation[].path
charts.recommendation[].title
charts.recommendation[].caption
charts.channels[]
charts.channels[].file
charts.channels[].path
charts.channels[].title
charts.channels[].caption
charts.confidence[]
charts.confidence[].file
charts.confidence[].path
charts.confidence[].title
charts.confidence[].caption
charts.appendix[]
charts.appendix[].file
charts.appendix[].path
charts.appendix[].title
charts.appendix[].caption
charts.model[]
charts.model[].file
charts.model[].path
charts.model[].title
charts.model[].caption
charts.calibration[]
charts.calibration[].file
charts.calibration[].path
charts.calibration[].title
charts.calibration[].caption
charts.other[]
charts.other[].file
charts.other[].path
charts.other[].title
charts.other[].caption
charts.all[]
charts.all[].file
charts.all[].path
charts.all[].title
charts.all[].caption
charts.hasModel
""".split(separator: "\n").map(String.init)
}
