package release

import "testing"

func TestVersionOfTag(t *testing.T) {
	cases := []struct {
		tag, want string // want "" when the tag is refused
	}{
		{"v0.1.0", "0.1.0"},
		{"v1.12.3", "1.12.3"},
		{"v0.2.0-rc.1", "0.2.0-rc.1"},
		{"0.1.0", ""},        // no v
		{"v0.1", ""},         // not a full version
		{"v1", ""},           // not a full version
		{"v0.1.0+build", ""}, // build metadata: another tag of the same version
		{"v01.0.0", ""},      // leading zero
		{"release-0.1.0", ""},
		{"", ""},
	}
	for _, tc := range cases {
		got, err := VersionOfTag(tc.tag)
		if tc.want == "" {
			if err == nil {
				t.Errorf("VersionOfTag(%q) = %q, want it refused", tc.tag, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("VersionOfTag(%q) = %q, %v; want %q", tc.tag, got, err, tc.want)
		}
	}
}
