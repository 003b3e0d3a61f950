@_exported import MixResults
