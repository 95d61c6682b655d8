using BenchmarkDotNet.Running;

// Runs the BenchmarkDotNet suites of this assembly: `dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*'`.
// The on-the-wire checks (iperf3 and ping through `forwarder bridge --tc` beside the kernel) are perf/wire/wirecheck.py.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

internal partial class Program;
