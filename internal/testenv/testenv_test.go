package testenv

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRequired(t *testing.T) {
	t.Setenv("SOCKBOOK_REQUIRE", "root,glibc")
	assert.True(t, Required(Root))
	assert.True(t, Required(Glibc))
	assert.False(t, Required(IPv6))

	t.Setenv("SOCKBOOK_REQUIRE", "all")
	assert.True(t, Required(AFALG))

	t.Setenv("SOCKBOOK_REQUIRE", "")
	assert.False(t, Required(Root))
}

func TestCheckFDsNoticesALeak(t *testing.T) {
	before := OpenFDs()
	f, err := os.Open("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	assert.Equal(t, before+1, OpenFDs())
	f.Close()
	assert.Equal(t, before, OpenFDs())
}
