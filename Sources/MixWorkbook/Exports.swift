@_exported import MixCharts
