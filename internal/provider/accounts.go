package provider

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"

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
	blank   map[string]bool           // the accounts whose key is only whitespace
	keys    []string                  // every configured key, masked in every account's logs and errors
}

// newAccounts makes a client for each key (by account name): shared, which holds no key, with the
// account's key, one pooled transport for all. Each client masks every configured key, not only
// its own, in its errors and log lines: one account's key quoted in another account's answer
// never shows.
func newAccounts(shared glossi.Config, keys map[string]string) (*accounts, error) {
	a := &accounts{clients: make(map[string]*glossi.Client, len(keys)), blank: map[string]bool{}}
	for name, key := range keys {
		if strings.TrimSpace(key) == "" {
			a.blank[name] = true
		} else {
			a.keys = append(a.keys, key)
		}
	}
	sort.Strings(a.keys)
	shared.Log, shared.HTTPClient = clientLog, &http.Client{Transport: cleanhttp.DefaultPooledTransport()}
	for name, key := range keys {
		account := shared
		account.APIKey = key
		client, err := glossi.NewClient(account)
		if err != nil {
			return nil, err
		}
		for _, other := range a.keys {
			client.MaskSecret(other) // masked like a webhook secret, in errors and logs
		}
		a.clients[name] = client
	}
	return a, nil
}

// masked is ctx with every configured key masked in the log lines written through it; the
// resource, data source and list resource use it for every request.
func (a *accounts) masked(ctx context.Context) context.Context {
	if a == nil {
		return ctx
	}
	return maskValues(ctx, a.keys)
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

// accountOrigin is where the name of an account came from, which the advice about an account that
// is not configured depends on.
type accountOrigin int

const (
	accountInConfig accountOrigin = iota // `account` of a resource or data source block
	accountInState                       // the account of a webhook in the state
	accountInImport                      // the account an import id or identity names
	accountInList                        // a name of the list resource's `accounts`
)

// client is the client of the account name (defaultAccount for api_key's), or nil after an error
// on attr: the account is not configured (the error lists the configured names, and suggests the
// nearest), or its key is only whitespace.
func (a *accounts) client(name string, origin accountOrigin, attr path.Path, diags *diag.Diagnostics) *glossi.Client {
	client, ok := a.clients[name]
	switch {
	case !ok:
		a.refuseUnconfigured(name, origin, attr, diags)
	case a.blank[name]:
		addBlankAPIKeyError(diags, attr, name)
	default:
		return client
	}
	return nil
}

// refuseUnconfigured is the error on attr for the account name, which is not configured.
func (a *accounts) refuseUnconfigured(name string, origin accountOrigin, attr path.Path, diags *diag.Diagnostics) {
	switch {
	case name == defaultAccount && len(a.clients) == 0:
		addMissingAPIKeyError(diags)
	case name == defaultAccount:
		addNoDefaultAccountError(diags, attr, origin, a.names())
	default:
		addUnknownAccountError(diags, attr, origin, name, a.names())
	}
}

// clientFor is the client of the account an `account` attribute names (null for api_key's), which
// origin says where it came from, or nil after an error on that attribute; before the provider is
// configured there is no client, and that is the error.
func (a *accounts) clientFor(account types.String, origin accountOrigin, diags *diag.Diagnostics) *glossi.Client {
	if a == nil {
		addUnconfiguredProviderError(diags, nil)
		return nil
	}
	return a.client(accountName(account), origin, path.Root("account"), diags)
}

// selected is the accounts to list: the given names in order, or every configured account
// (the default one first) when names is empty. A name that is not configured is an error on attr.
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
			a.refuseUnconfigured(name, accountInList, attr, diags)
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
