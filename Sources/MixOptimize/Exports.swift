@_exported import MixModel
