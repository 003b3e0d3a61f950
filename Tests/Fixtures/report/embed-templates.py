#!/usr/bin/env python3
"""Regenerates Sources/MixReport/BundledTemplates.swift from Templates/report.*.mustache.

Run after editing a template: python3 Tests/Fixtures/report/embed-templates.py
ReportTemplateTests checks that the compiled-in copies equal the files.
"""
import os
root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..'))
md = open(root + '/Templates/report.md.mustache').read()
html = open(root + '/Templates/report.html.mustache').read()
assert '"""#' not in md + html
out = '''/// The report templates compiled in, so the library and the executable need no resource files.
/// Verbatim copies of `Templates/report.md.mustache` and `Templates/report.html.mustache`; a
/// test asserts they are identical to the files, so edit the files and copy them here.
public enum BundledTemplates {
    /// `Templates/report.md.mustache`, verbatim.
    public static let markdown = #"""
''' + md + '''
"""#

    /// `Templates/report.html.mustache`, verbatim.
    public static let html = #"""
''' + html + '''
"""#
}
'''
open(root + '/Sources/MixReport/BundledTemplates.swift', 'w').write(out)
