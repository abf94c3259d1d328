/// One labelled value of a family: a number, or a whole histogram.
public struct MetricSample: Codable, Sendable, Equatable {
    /// The sample's labels, written in this order.
    public var labels: [MetricLabel]
    /// The value of a counter or gauge; `nil` for a histogram.
    public var value: Double?
    /// The histogram of a histogram family; `nil` otherwise.
    public var histogram: HistogramSnapshot?

    /// A counter or gauge sample.
    public init(_ value: Double, labels: [MetricLabel] = []) {
        self.labels = labels
        self.value = value
        histogram = nil
    }

    /// A histogram sample.
    public init(_ histogram: HistogramSnapshot, labels: [MetricLabel] = []) {
        self.labels = labels
        value = nil
        self.histogram = histogram
    }
}
