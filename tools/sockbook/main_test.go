package main

import (
	"testing"

	"github.com/sockbook/sockbook/recipes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHelpListsEverySlug(t *testing.T) {
	stdout, stderr, err := execCLI("", "-h")
	require.NoError(t, err)
	for _, c := range commands() {
		assert.Contains(t, stdout+stderr, c.slug)
	}
}

func TestUnknownRecipe(t *testing.T) {
	_, stderr := runCLIFail(t, "no-such-recipe")
	assert.Contains(t, stderr, `unknown recipe "no-such-recipe"`)
}

// Every command is a recipe of the table, and every recipe the library face
// claims has a command.
func TestCommandsMatchRecipes(t *testing.T) {
	rs, err := recipes.All()
	require.NoError(t, err)
	bySlug := map[string]recipes.Recipe{}
	for _, r := range rs {
		bySlug[r.Slug] = r
	}
	have := map[string]bool{}
	for _, c := range commands() {
		_, ok := bySlug[c.slug]
		assert.True(t, ok, "command %q is not a recipe slug", c.slug)
		assert.False(t, have[c.slug], "command %q defined twice", c.slug)
		have[c.slug] = true
		assert.NotEmpty(t, c.short, "command %q has no description", c.slug)
	}
	for _, r := range rs {
		if r.Claimed[recipes.Library] {
			assert.True(t, have[r.Slug], "recipe %s is claimed for the library but has no sockbook command", r.Slug)
		}
	}
}
