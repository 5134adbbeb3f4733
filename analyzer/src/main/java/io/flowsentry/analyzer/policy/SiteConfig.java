package io.flowsentry.analyzer.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.analyzer.net.ConfigChecks;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.passivedns.PassiveDnsConfig;
import io.flowsentry.analyzer.resolve.ResolverConfig;
import io.flowsentry.collector.event.CommunityId;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code site} section: which addresses are "ours" (like Zeek's {@code Site::local_nets});
 * everything else is the Internet. Also holds the DNS settings used for hostnames in policies
 * ({@code site.dns}), since name resolution is a property of where flowsentry runs.
 *
 * @param localNetworks addresses or CIDRs; absent = {@link #DEFAULT_LOCAL_NETWORKS}, {@code []} = nothing is local
 * @param dns resolver settings for hostnames in {@code allowed_pairs}
 * @param communityIdSeed the Community ID seed (0..65535, absent = 0); must match the seed of the
 *     Zeek and Suricata sensors the IDs are compared with
 * @param passiveDns how long and how much of what dns.log taught ({@code inputs.zeek_dns}) is kept
 */
public record SiteConfig(
    @JsonProperty("local_networks") List<String> localNetworks,
    @JsonProperty("dns") ResolverConfig dns,
    @JsonProperty("community_id_seed") Integer communityIdSeed,
    @JsonProperty("passive_dns") PassiveDnsConfig passiveDns) {

  /**
   * Private and special-use ranges that are never "the Internet": RFC 1918 (10/8, 172.16/12,
   * 192.168/16), "this network" 0/8, shared address space 100.64/10 (RFC 6598), loopback 127/8,
   * link-local 169.254/16, IETF protocol assignments 192.0.0.0/24, benchmarking 198.18/15,
   * multicast 224/4, reserved and broadcast 240/4; IPv6 unspecified ::/128, loopback ::1/128,
   * unique-local fc00::/7 (RFC 4193), link-local fe80::/10 and multicast ff00::/8. The
   * documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32) are left out
   * on purpose: examples and tests use them as Internet addresses.
   */
  public static final List<String> DEFAULT_LOCAL_NETWORKS = List.of(
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
      "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
      "240.0.0.0/4", "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8");

  public SiteConfig {
    localNetworks = localNetworks == null ? DEFAULT_LOCAL_NETWORKS : List.copyOf(localNetworks);
    dns = dns == null ? ResolverConfig.defaults() : dns;
    communityIdSeed = communityIdSeed == null ? 0 : communityIdSeed;
    passiveDns = passiveDns == null ? PassiveDnsConfig.defaults() : passiveDns;
  }

  public static SiteConfig defaults() {
    return new SiteConfig(null, null, null, null);
  }

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    ConfigChecks.cidrs(keyPrefix + ".local_networks", localNetworks, problems);
    problems.addAll(dns.validate(keyPrefix + ".dns"));
    if (communityIdSeed < 0 || communityIdSeed > 0xFFFF) {
      problems.add(ConfigChecks.problem(keyPrefix + ".community_id_seed", communityIdSeed, "an integer from 0 to 65535"));
    }
    problems.addAll(passiveDns.validate(keyPrefix + ".passive_dns"));
    return problems;
  }

  /** The Community ID hasher for this site's seed; call after {@link #validate} found no problems. */
  public CommunityId communityId() {
    return new CommunityId(communityIdSeed);
  }

  /** Compiled local networks; call after {@link #validate} found no problems. */
  public PrefixSet localNetworkSet() {
    return PrefixSet.parse(localNetworks);
  }
}
