using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oxidation.Reports.Writers;
using Oxidation.Store;

namespace Oxidation.Reports;

/// <summary>A port that cannot be listened on; the message says which and why.</summary>
public sealed class ServeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Serves the report on the loopback addresses (127.0.0.1 and [::1]), read live from the database: each request checks
/// whether the database changed and rebuilds the report if it did (opening it read-only), so a scan or import run
/// meanwhile shows on the next reload. A request must name this machine as its Host (127.0.0.1, localhost or [::1]):
/// a page elsewhere cannot read the report by rebinding its own name to 127.0.0.1.
/// </summary>
/// <remarks>
/// Kestrel, one server per address family: Kestrel cannot pick a free port for both loopback addresses at once
/// ("dynamic port binding is not supported when binding to localhost"), so 127.0.0.1 is bound first and [::1] then on
/// the port it got. HttpListener, used before, cannot listen on an IPv6 literal on Linux and matched the Host header
/// only against the address a connection arrived on, so http://localhost:PORT/ got 404 (issue 10).
/// </remarks>
public sealed class ReportServer : IDisposable
{
    private static readonly string[] LoopbackNames = ["127.0.0.1", "localhost", "[::1]"];

    private readonly string _database;
    private readonly Action<string>? _log;
    private readonly List<WebApplication> _servers = [];

    private ReportServer(string database, Action<string>? log)
    {
        _database = database;
        _log = log;
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; private set; }

    /// <summary>The address of the report.</summary>
    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>
    /// Starts listening on 127.0.0.1 and, where the system has IPv6, on [::1] on the same port; port 0 picks a free
    /// port. A busy port throws <see cref="ServeException"/>.
    /// </summary>
    public static ReportServer Start(string database, int port, Action<string>? log = null)
    {
        if (port is < 0 or > 65535)
            throw new ServeException($"port {port} is not a TCP port (0–65535)");
        var server = new ReportServer(database, log);
        try
        {
            // With port 0, another program may hold [::1] on the port 127.0.0.1 got; a few tries find a port free on both.
            for (var attempt = 1; ; attempt++)
            {
                server.Port = server.Listen(IPAddress.Loopback, port);
                var v6 = server.TryListen(IPAddress.IPv6Loopback, server.Port);
                if (v6 is not AddressInUseException)
                {
                    if (v6 is not null)
                        log?.Invoke($"oxidation: note: [::1]:{server.Port} cannot be listened on ({v6.Message}); serving on 127.0.0.1 only");
                    return server;
                }
                // [::1] busy: http://localhost:PORT/ could reach the other program, so never serve on IPv4 alone then.
                server.StopAll();
                if (port != 0 || attempt == 3)
                    throw new ServeException($"[::1]:{server.Port} is busy ({v6.Message}); choose another port with --port", v6);
            }
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Binds one address; the port it got.</summary>
    private int Listen(IPAddress address, int port)
    {
        var app = Build(address, port);
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            ((IDisposable)app).Dispose();
            // Kestrel wraps a busy address in an IOException and lets other socket errors (no [::1]) through.
            var cause = ex is IOException { InnerException: { } inner } ? inner : ex;
            var where = $"{(address.Equals(IPAddress.Loopback) ? "127.0.0.1" : "[::1]")}:{port}";
            throw cause is AddressInUseException
                ? new ServeException($"{where} is busy ({cause.Message}); choose another port with --port", cause)
                : new ServeException($"{where} cannot be listened on ({cause.Message})", cause);
        }
        _servers.Add(app);
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Uri(bound).Port;
    }

    /// <summary>Binds one address; null, or why it could not be listened on.</summary>
    private Exception? TryListen(IPAddress address, int port)
    {
        try
        {
            Listen(address, port);
            return null;
        }
        catch (ServeException ex)
        {
            return ex.InnerException;
        }
    }

    /// <summary>
    /// Kestrel on one address, with nothing configurable from outside: the empty builder reads no appsettings.json,
    /// environment variables or command line (none of which could then add an endpoint beyond loopback) and logs nothing.
    /// </summary>
    private WebApplication Build(IPAddress address, int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        // Host filtering compares the name only, not the port. An HTTP/1.0 request without a Host is refused too.
        builder.Services.AddHostFiltering(hosts =>
        {
            hosts.AllowedHosts = LoopbackNames;
            hosts.AllowEmptyHosts = false;
        });
        builder.Services.AddSingleton<IHostLifetime, CallerLifetime>();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            await next(context).ConfigureAwait(false);
            _log?.Invoke($"{context.Request.Method} {context.Request.Path} {context.Response.StatusCode}");
        });
        app.UseHostFiltering();
        app.Run(AnswerAsync);
        return app;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var (request, response) = (context.Request, context.Response);
        var (status, type, text) = Respond(request.Method, request.Path.Value ?? "",
            context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);
        response.StatusCode = status;
        response.ContentType = type;
        response.Headers.CacheControl = "no-store";
        if (status == StatusCodes.Status405MethodNotAllowed)
            response.Headers.Allow = "GET, HEAD";
        var body = Encoding.UTF8.GetBytes(text);
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(request.Method))
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private (int Status, string Type, string Text) Respond(string method, string path, bool hasBody)
    {
        const string plain = "text/plain; charset=utf-8";
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
            return (StatusCodes.Status405MethodNotAllowed, plain, "only GET and HEAD\n");
        if (hasBody)
            return (StatusCodes.Status413PayloadTooLarge, plain, "a GET or HEAD request has no body\n");
        try
        {
            if (path == "/")
                path = "/index.html";
            var (text, type) = Lookup(path.TrimStart('/'));
            return text is null
                ? (StatusCodes.Status404NotFound, plain, $"not found: {path} (the report is at /)\n")
                : (StatusCodes.Status200OK, type, text);
        }
        catch (Exception ex) when (ex is StoreException or IOException or InvalidOperationException)
        {
            return (StatusCodes.Status500InternalServerError, plain, $"cannot build the report: {ex.Message}\n");
        }
    }

    private (string? Text, string Type) Lookup(string relative)
    {
        if (relative == "favicon.ico")
            return (null, "");
        var files = Render();
        if (!files.TryGetValue(relative, out var text))
            return (null, "");
        var type = Path.GetExtension(relative) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".md" => "text/markdown; charset=utf-8",
            ".svg" => "image/svg+xml",
            ".json" => "application/json",
            _ => "text/plain; charset=utf-8",
        };
        return (text, type);
    }

    private readonly Lock _gate = new();
    private (string Stamp, SortedDictionary<string, string> Files)? _cache;

    /// <summary>
    /// The report's files, rebuilt only when the database changed (its file or write-ahead log has another size or
    /// time): building takes seconds on a full database, and a page loads its charts and data many times.
    /// </summary>
    private SortedDictionary<string, string> Render()
    {
        lock (_gate)
        {
            var stamp = Stamp(_database) + "|" + Stamp(_database + ".wal");
            if (_cache is { } cached && cached.Stamp == stamp)
                return cached.Files;
            using var db = OxidationDatabase.OpenReadOnly(_database);
            var files = ReportWriter.Render(ReportBuilder.Build(db));
            _cache = (stamp, files);
            return files;
        }
    }

    private static string Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? $"{info.Length}:{info.LastWriteTimeUtc.Ticks}" : "-";
    }

    /// <summary>Answers requests until <paramref name="cancel"/> fires, then stops within two seconds.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Task.WhenAll(_servers.Select(s => s.StopAsync(grace.Token))).ConfigureAwait(false);
    }

    private void StopAll()
    {
        foreach (var server in _servers)
            ((IDisposable)server).Dispose();
        _servers.Clear();
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => StopAll();

    /// <summary>
    /// The caller says when to stop (<see cref="RunAsync"/>'s token), as the command line does on Ctrl+C or SIGTERM: the
    /// host's default console lifetime would take SIGTERM and Ctrl+C itself, once for each server, and leave the
    /// caller waiting.
    /// </summary>
    private sealed class CallerLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
