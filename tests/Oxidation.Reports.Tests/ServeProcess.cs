using System.Diagnostics;

namespace Oxidation.Reports.Tests;

/// <summary><c>oxidation serve --port 0</c> in its own process, as a user starts it; the address is read from what it prints.</summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public static ServeProcess Start(string database)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Oxidation.Cli.dll"), "--db", database, "serve", "--port", "0" })
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var read = process.StandardOutput.ReadLineAsync();
        if (!read.Wait(TimeSpan.FromSeconds(60)) || read.Result is not { } line)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("oxidation serve printed no address within 60 s");
        }
        var at = line.IndexOf("http://", StringComparison.Ordinal);
        if (at < 0)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("unexpected first line from oxidation serve: " + line);
        }
        return new ServeProcess(process, line[at..].Split(' ')[0]);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
