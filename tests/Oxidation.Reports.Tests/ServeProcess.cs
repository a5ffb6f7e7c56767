using System.Diagnostics;
using System.Text;

namespace Oxidation.Reports.Tests;

/// <summary><c>oxidation serve --port 0</c> in its own process, as a user starts it; the address is read from what it prints.</summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _error;

    private ServeProcess(Process process, StringBuilder error, string url)
    {
        _process = process;
        _error = error;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Starts the server; <paramref name="environment"/> and <paramref name="workingDirectory"/> as a user's shell may have them.</summary>
    public static ServeProcess Start(string database, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Oxidation.Cli.dll"), "--db", database, "serve", "--port", "0" })
            start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        var process = Process.Start(start)!;
        var error = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return; // the end of the stream
            lock (error)
                error.Append(e.Data).Append('\n');
        };
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
        return new ServeProcess(process, error, line[at..].Split(' ')[0]);
    }

    /// <summary>Sends a signal (INT is Ctrl+C) with kill(1); the exit code and standard error once it ended, or null after 10 s.</summary>
    public (int Exit, string Error)? Signal(string name)
    {
        using (var kill = Process.Start("kill", ["-s", name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            return null;
        _process.WaitForExit(); // the end of standard error
        lock (_error)
            return (_process.ExitCode, _error.ToString());
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
