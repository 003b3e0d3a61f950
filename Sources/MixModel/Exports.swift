@_exported import MixData
@_exported import MixInference
