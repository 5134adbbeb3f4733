##! Site settings for the restricted-outgoing script, as a site that ran it for years has them.
##! Every construct import-bro reads is used here at least once.
@load restricted-outgoing
@load site/restricted-outgoing.bro

# what is ours (Zeek's Site::local_nets); everything else is the Internet
redef Site::local_nets = { 192.168.0.0/16, 10.0.0.0/8, [fd00::]/8 };
redef Site::local_nets += {
	172.16.0.0/12,   # lab
};

redef RestrictedOutgoing::restricted_outgoing_networks = {
	192.168.4.0/24, # restricted subnet
	10.0.0.0/8,     # restricted subnet
	192.168.9.43/32, # individual host
	[fd00:4::]/64,
};
# the printers moved out of the restricted range
redef RestrictedOutgoing::restricted_outgoing_networks -= { 10.0.0.0/8 };
redef RestrictedOutgoing::restricted_outgoing_networks += { 10.20.0.0/16, 192.168.9.44 };

redef RestrictedOutgoing::restricted_connection_timeout = 2.5 mins;

redef RestrictedOutgoing::allowed_outgoing_dsts = {
	72.246.0.0/15, # Akamai, usually updates
};
redef RestrictedOutgoing::allowed_outgoing_dsts += { [2001:db8:aa::]/48, 198.51.100.7 };

redef RestrictedOutgoing::allowed_outgoing_network_service_pairs = {
	[192.168.4.7/32, 25/tcp], # SMTP server
	[192.168.4.8/32, 80/tcp], # Web proxy
	[192.168.4.9/32, 53/udp], # DNS server
	[10.20.0.0/16, 123/udp],  # NTP
	[[fd00:4::]/64, 443/tcp],
	[192.168.4.0/28, 8/icmp], # echo requests out of the monitoring hosts
};

redef RestrictedOutgoing::allowed_outgoing_dst_pairs = {
	[myhost.myorg.org, www.google.com],
	[192.168.4.23, www.business-partner.com],
	[192.168.4.24, 203.0.113.0/29],
	[[fd00:4::23], [2001:db8::1]],
};
redef RestrictedOutgoing::allowed_outgoing_dst_pairs += {[192.168.4.25, 203.0.113.80],};
