export { CaptureReader, ticksToMicros, type CapturedFrame, type CaptureIssue } from './capture.js';
export { decodeFrame, PacketInfo, ipv4String, ipv6String, LINKTYPE, PROTO, TCP, type SkipReason } from './decode.js';
export { Flow, FlowMeter, flowKey, DEFAULT_ACTIVE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, type FlowMode, type FlowMeterOptions, type EndReason } from './flow-meter.js';
export { FLOW_COLUMNS, FLOW_ID_COLUMNS, csvHeaderNames, flowValues, flowRecord, flowCsvLine, cicTimestamp, type FlowColumn } from './columns.js';
export { readFlows, type CaptureStats, type CaptureInput, type ReadFlowsOptions } from './read-flows.js';
export { RunningStat } from './stat.js';
