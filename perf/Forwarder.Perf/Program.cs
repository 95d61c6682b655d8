using BenchmarkDotNet.Running;

// Runs the BenchmarkDotNet suites of this assembly: `dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*'`.
// `-- --aqm-wire` runs the fq_codel bufferbloat check in the namespace lab instead (root only).
if (args is ["--aqm-wire", ..]) return Forwarder.Perf.Qdiscs.FqCodelWireCheck.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

internal partial class Program;
