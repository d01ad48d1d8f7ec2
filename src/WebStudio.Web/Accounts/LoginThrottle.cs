using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using WebStudio.Web.Options;
using WebStudio.Studio.Options;

namespace WebStudio.Web.Accounts;

/// <summary>
/// Throttles the login form's password attempts three ways (see <see cref="LoginOptions"/>): a fixed window per
/// client and one per account (ASP.NET's partitioned rate limiters), and an exponential backoff per (client, account)
/// pair after a few failures. The pair backoff, not a lockout of the account, is what stops a guesser: it slows only
/// the guessing client, so a stranger cannot keep the owner out, and an attempt refused while waiting does not
/// lengthen the wait.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly LoginOptions _options;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<string> _clients;
    private readonly PartitionedRateLimiter<string> _accounts;
    private readonly ConcurrentDictionary<(string Client, string Account), Pair> _pairs = new();
    private long _nextSweep;

    public LoginThrottle(IOptions<LoginOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _clients = FixedWindows(_options.AttemptsPerClient, _options.ClientWindow);
        _accounts = FixedWindows(_options.AttemptsPerAccount, _options.AccountWindow);
    }

    /// <summary>Admits one password attempt of <paramref name="client"/> on <paramref name="account"/> (its normalized name).</summary>
    /// <returns>null when the password may be checked, else how long to wait.</returns>
    public TimeSpan? TryBegin(IPAddress? client, string account)
    {
        var clientKey = ClientKey(client);
        using (var lease = _clients.AttemptAcquire(clientKey))
        {
            if (!lease.IsAcquired)
            {
                return RetryAfter(lease, _options.ClientWindow);
            }
        }

        var now = _time.GetUtcNow();
        SweepForgottenPairs(now);
        var pair = _pairs.GetOrAdd((clientKey, account), _ => new Pair());
        lock (pair)
        {
            if (pair.WaitUntil > now)
            {
                return pair.WaitUntil - now;
            }

            // Under the pair's lock, so that parallel attempts of one pair cannot all pass before any is counted.
            using var lease = _accounts.AttemptAcquire(account);
            if (!lease.IsAcquired)
            {
                return RetryAfter(lease, _options.AccountWindow);
            }

            // Counted as a failure until it succeeds (Succeeded forgets the pair).
            pair.Failures++;
            var beyond = pair.Failures - _options.FailuresBeforeBackoff;
            if (beyond >= 0)
            {
                pair.WaitUntil = now + Backoff(beyond);
            }

            pair.ForgetAt = Max(now, pair.WaitUntil) + _options.LongestBackoff;
            return null;
        }
    }

    /// <summary>The password was right: the pair's failures are forgotten.</summary>
    public void Succeeded(IPAddress? client, string account) => _pairs.TryRemove((ClientKey(client), account), out _);

    public void Dispose()
    {
        _clients.Dispose();
        _accounts.Dispose();
    }

    private TimeSpan Backoff(int beyondFreeFailures) =>
        TimeSpan.FromTicks((long)Math.Min(_options.LongestBackoff.Ticks, _options.FirstBackoff.Ticks * Math.Pow(2, beyondFreeFailures)));

    // Pairs that have been quiet past their wait for LongestBackoff start afresh, and take no memory.
    private void SweepForgottenPairs(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweep, (now + _options.LongestBackoff).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var entry in _pairs)
        {
            if (entry.Value.ForgetAt < now)
            {
                _pairs.TryRemove(entry);
            }
        }
    }

    /// <summary>An IPv4 address as itself; an IPv6 address by its /64, which one subscriber usually holds whole.</summary>
    private static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    private static PartitionedRateLimiter<string> FixedWindows(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        }));

    private static TimeSpan RetryAfter(RateLimitLease lease, TimeSpan window) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : window;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed class Pair
    {
        public int Failures;
        public DateTimeOffset WaitUntil;
        public DateTimeOffset ForgetAt;
    }
}
