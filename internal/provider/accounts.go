package provider

import (
	"net/http"
	"slices"
	"sort"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// defaultAccount names the account of api_key (or GLOSSI_API_KEY): the one a glossi_webhook
// without `account` belongs to.
const defaultAccount = ""

// accounts is what Configure gives resources, data sources and list resources: one API client
// per configured account. One provider configuration serves every account in one plugin process,
// which is what makes many accounts cheap (see scripts/bench-accounts.sh).
type accounts struct {
	clients map[string]*glossi.Client // by account name; defaultAccount when api_key is set
}

// newAccounts makes a client for each key (by account name), all sharing base's settings and one
// pooled transport. The key of each client is masked in that client's log lines.
func newAccounts(base glossi.Config, keys map[string]string) (*accounts, error) {
	shared := &http.Client{Transport: cleanhttp.DefaultPooledTransport()}
	a := &accounts{clients: make(map[string]*glossi.Client, len(keys))}
	for name, key := range keys {
		cfg := base
		cfg.APIKey, cfg.Log, cfg.HTTPClient = key, maskedLogger(key), shared
		client, err := glossi.NewClient(cfg)
		if err != nil {
			return nil, err
		}
		a.clients[name] = client
	}
	return a, nil
}

// names are the configured account names of api_keys, sorted; never the keys.
func (a *accounts) names() []string {
	names := make([]string, 0, len(a.clients))
	for name := range a.clients {
		if name != defaultAccount {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// client is the client of the account name (defaultAccount for api_key's). An account that is
// not configured is an error on attr that lists the configured names.
func (a *accounts) client(name string, attr path.Path, diags *diag.Diagnostics) *glossi.Client {
	if client, ok := a.clients[name]; ok {
		return client
	}
	if name == defaultAccount && len(a.clients) == 0 {
		addMissingAPIKeyError(diags)
		return nil
	}
	if name == defaultAccount {
		addNoDefaultAccountError(diags, attr, a.names())
		return nil
	}
	addUnknownAccountError(diags, attr, name, a.names())
	return nil
}

// selected is the accounts to list: the given names in order, or every configured account
// (the default one first) when names is empty. An unknown name is an error on attr.
func (a *accounts) selected(names []string, attr path.Path, diags *diag.Diagnostics) []string {
	if len(names) == 0 {
		all := a.names()
		if _, ok := a.clients[defaultAccount]; ok {
			all = slices.Insert(all, 0, defaultAccount)
		}
		return all
	}
	for _, name := range names {
		if _, ok := a.clients[name]; !ok {
			addUnknownAccountError(diags, attr, name, a.names())
		}
	}
	return names
}

// accountName is the account an `account` attribute names: defaultAccount when null.
func accountName(account types.String) string {
	return account.ValueString()
}

// accountsFromProviderData is the accounts Configure gave. It is nil before the provider is
// configured (during validation), which is not an error.
func accountsFromProviderData(data any, diags *diag.Diagnostics) *accounts {
	if data == nil {
		return nil
	}
	a, ok := data.(*accounts)
	if !ok {
		addUnconfiguredProviderError(diags, data)
	}
	return a
}
