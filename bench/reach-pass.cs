#:project ../src/Oxidation/Oxidation.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property PublishAot=false
// The share of a scan that building the reach index (issue 14) costs, measured apart because the scan has no switch to
// leave it out: the scan of TREE as oxidation scan runs it, then RustReach.Analyze alone on the bytes the scan keeps for
// it (RustReach.Needs and the Rust sources), timed over RUNS runs each (the median), and the bytes kept only for it.
// Usage: dotnet run bench/reach-pass.cs -- TREE [RUNS]
using System.Diagnostics;
using Oxidation.CHeaders;
using Oxidation.Model;
using Oxidation.Scanning;

var tree = args[0];
var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

var scans = new List<double>();
for (var i = 0; i < runs; i++)
{
    var clock = Stopwatch.StartNew();
    _ = Scanner.Scan(ScanOptions.For(tree));
    scans.Add(clock.Elapsed.TotalSeconds);
}

// The inputs the scan hands RustReach.Analyze: every file RustReach.Needs, the Rust sources, the tree's paths.
var paths = Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(tree, p).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
var headers = paths.Where(RustReach.Needs).ToDictionary(p => p, p => File.ReadAllBytes(Path.Combine(tree, p)), StringComparer.Ordinal);
var rust = paths.Where(p => p.EndsWith(".rs", StringComparison.Ordinal)).ToDictionary(p => p, p => File.ReadAllBytes(Path.Combine(tree, p)), StringComparer.Ordinal);
// Files the scan keeps for other analyses too (Makefile, Kbuild, Kconfig, .rs): not an extra cost of the index.
var onlyForReach = headers.Where(h => !h.Key.EndsWith("/Kbuild", StringComparison.Ordinal)).Sum(h => (long)h.Value.Length);
var analyses = new List<double>();
CBindingsInventory? inventory = null;
for (var i = 0; i < runs; i++)
{
    var clock = Stopwatch.StartNew();
    inventory = RustReach.Analyze(new RustReachInputs(headers, paths.Contains, rust));
    analyses.Add(clock.Elapsed.TotalSeconds);
}
var scan = Median(scans);
var analyse = Median(analyses);
Console.WriteLine($"scan {scan:0.00} s (median of {runs}: {string.Join(", ", scans.Select(s => s.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))})");
Console.WriteLine($"RustReach.Analyze {analyse:0.00} s (median of {runs}: {string.Join(", ", analyses.Select(s => s.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}) over {headers.Count:N0} headers and helpers, {rust.Count:N0} Rust files: {inventory!.Headers.Count:N0} closure headers, {inventory.Index.Count:N0} declarations, {inventory.Uses.Count:N0} uses");
Console.WriteLine($"bytes kept only for it {onlyForReach / 1048576.0:0.0} MiB");
Console.WriteLine($"scan without the index ~{scan - analyse:0.00} s; the index adds {100 * analyse / (scan - analyse):0.0}% (target <= 10%)");
